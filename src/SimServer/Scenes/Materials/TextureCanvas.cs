using System.Numerics;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Scenes.Materials;

/// <summary>A square RGB image being painted, addressed with wrap-around like <see cref="Texture.Sample"/>,
/// so shapes drawn across an edge continue on the other side and the texture tiles.</summary>
internal sealed class TextureCanvas
{
    /// <summary>Texels a side for surfaces seen large and close (floors, walls, fabric, shelves of books):
    /// 256 texels over a 0.4-2 m repeat is 1.5-8 mm a texel, about a pixel of a 512-wide frame at 1-4 m.</summary>
    public const int Large = 256;
    /// <summary>Texels a side for small or smooth surfaces (metal, plastic, plants, windows).</summary>
    public const int Small = 128;

    private readonly Vector3[] _texels;

    public TextureCanvas(int size, Vector3 fill = default)
    {
        Size = size;
        _texels = new Vector3[size * size];
        Array.Fill(_texels, fill);
    }

    public int Size { get; }

    public Vector3 this[int x, int y]
    {
        get => _texels[Wrap(y) * Size + Wrap(x)];
        set => _texels[Wrap(y) * Size + Wrap(x)] = value;
    }

    /// <summary>A texture whose every texel is <paramref name="shade"/> at its UV (x / size, y / size).</summary>
    public static Texture Paint(int size, Func<float, float, Vector3> shade)
    {
        var canvas = new TextureCanvas(size);
        canvas.Apply((x, y, _) => shade((float)x / size, (float)y / size));
        return canvas.ToTexture();
    }

    /// <summary>Replaces each texel by <paramref name="shade"/>(x, y, current value).</summary>
    public void Apply(Func<int, int, Vector3, Vector3> shade)
    {
        for (var y = 0; y < Size; y++)
        for (var x = 0; x < Size; x++)
            _texels[y * Size + x] = shade(x, y, _texels[y * Size + x]);
    }

    /// <summary>Fills texels [x0, x1) x [y0, y1), wrapping past the edges.</summary>
    public void FillRect(int x0, int y0, int x1, int y1, Vector3 color)
    {
        for (var y = y0; y < y1; y++)
        for (var x = x0; x < x1; x++)
            this[x, y] = color;
    }

    /// <summary>Wrapping box blur, three passes (close to a Gaussian of sigma ~ radius): out-of-focus
    /// scenery, soft print edges.</summary>
    public void Blur(int radius)
    {
        var line = new Vector3[Size];
        for (var pass = 0; pass < 3; pass++)
        for (var axis = 0; axis < 2; axis++)
        for (var j = 0; j < Size; j++)
        {
            for (var i = 0; i < Size; i++) line[i] = axis == 0 ? this[i, j] : this[j, i];
            var sum = Vector3.Zero;
            for (var k = -radius; k <= radius; k++) sum += line[Wrap(k)];
            for (var i = 0; i < Size; i++)
            {
                var mean = sum / (2 * radius + 1);
                if (axis == 0) this[i, j] = mean;
                else this[j, i] = mean;
                sum += line[Wrap(i + radius + 1)] - line[Wrap(i - radius)];
            }
        }
    }

    public Texture ToTexture()
    {
        var data = new float[_texels.Length * 3];
        for (var i = 0; i < _texels.Length; i++)
        {
            var c = Vector3.Clamp(_texels[i], Vector3.Zero, Vector3.One);
            (data[3 * i], data[3 * i + 1], data[3 * i + 2]) = (c.X, c.Y, c.Z);
        }
        return new Texture(Size, Size, data);
    }

    private int Wrap(int i) => ((i % Size) + Size) % Size;
}

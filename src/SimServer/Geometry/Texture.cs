namespace DistDepth.SimServer.Geometry;

/// <summary>An RGB image in [0,1] sampled bilinearly with wrap-around (UVs in texture repeats).</summary>
public sealed class Texture
{
    private readonly float[] _rgb;

    public Texture(int width, int height, float[] rgb)
    {
        if (width <= 0 || height <= 0 || rgb.Length != width * height * 3)
            throw new ArgumentException($"texture {width}x{height} needs {width * height * 3} floats, got {rgb.Length}");
        Width = width;
        Height = height;
        _rgb = rgb;
    }

    public int Width { get; }
    public int Height { get; }

    /// <summary>Texels, row-major from the top row, RGB interleaved, in [0,1].</summary>
    public ReadOnlySpan<float> Data => _rgb;

    public static Texture FromRgb8(int width, int height, ReadOnlySpan<byte> rgb)
    {
        var data = new float[width * height * 3];
        for (var i = 0; i < data.Length; i++) data[i] = rgb[i] / 255f;
        return new Texture(width, height, data);
    }

    public (float R, float G, float B) Sample(float u, float v)
    {
        // glTF/OBJ convention: v = 0 is the top row of the image.
        var x = (u - MathF.Floor(u)) * Width - 0.5f;
        var y = (v - MathF.Floor(v)) * Height - 0.5f;
        var x0 = (int)MathF.Floor(x);
        var y0 = (int)MathF.Floor(y);
        float fx = x - x0, fy = y - y0;
        // x0 is in [-1, Width - 1]: wrapping needs a compare, not a (slow) modulo.
        int xa = x0 < 0 ? Width - 1 : x0, xb = x0 + 1 >= Width ? 0 : x0 + 1;
        int ya = y0 < 0 ? Height - 1 : y0, yb = y0 + 1 >= Height ? 0 : y0 + 1;
        int i00 = (ya * Width + xa) * 3, i10 = (ya * Width + xb) * 3, i01 = (yb * Width + xa) * 3, i11 = (yb * Width + xb) * 3;
        float w00 = (1 - fx) * (1 - fy), w10 = fx * (1 - fy), w01 = (1 - fx) * fy, w11 = fx * fy;
        var d = _rgb;
        return (d[i00] * w00 + d[i10] * w10 + d[i01] * w01 + d[i11] * w11,
                d[i00 + 1] * w00 + d[i10 + 1] * w10 + d[i01 + 1] * w01 + d[i11 + 1] * w11,
                d[i00 + 2] * w00 + d[i10 + 2] * w10 + d[i01 + 2] * w01 + d[i11 + 2] * w11);
    }
}

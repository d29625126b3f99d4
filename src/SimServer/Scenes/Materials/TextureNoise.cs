namespace DistDepth.SimServer.Scenes.Materials;

/// <summary>
/// Seeded lattice noise that tiles: each sample wraps the lattice at the integer frequency asked for,
/// so a texture built from it repeats seamlessly over [0,1) UVs at any frequency (today's
/// <see cref="ProceduralTextures"/> noise is tied to a 64-cell period and stays untouched for its scenes).
/// </summary>
internal sealed class TextureNoise
{
    private const int Lattice = 256;
    private readonly float[] _values = new float[Lattice * Lattice];

    public TextureNoise(Random rng)
    {
        for (var i = 0; i < _values.Length; i++) _values[i] = rng.NextSingle();
    }

    /// <summary>Smooth value noise in [0,1] at (u, v) in texture repeats, with <paramref name="cellsU"/>
    /// by <paramref name="cellsV"/> lattice cells per repeat; <paramref name="layer"/> picks an
    /// independent pattern from the same lattice.</summary>
    public float Sample(float u, float v, int cellsU, int cellsV, int layer = 0)
    {
        float x = u * cellsU, y = v * cellsV;
        int x0 = (int)MathF.Floor(x), y0 = (int)MathF.Floor(y);
        float fx = Smooth(x - x0), fy = Smooth(y - y0);
        int xa = Wrap(x0, cellsU), ya = Wrap(y0, cellsV);
        int xb = xa + 1 == cellsU ? 0 : xa + 1, yb = ya + 1 == cellsV ? 0 : ya + 1;
        float a = At(xa, ya, layer), b = At(xb, ya, layer), c = At(xa, yb, layer), d = At(xb, yb, layer);
        var top = a + (b - a) * fx;
        var bottom = c + (d - c) * fx;
        return top + (bottom - top) * fy;
    }

    /// <summary>Fractal sum in about [-1,1]: <paramref name="octaves"/> layers, each twice the
    /// frequency and half the amplitude of the last (the 1/f falloff of natural images).</summary>
    public float Fractal(float u, float v, int cellsU, int cellsV, int octaves, int layer = 0)
    {
        float sum = 0, amplitude = 1, norm = 0;
        for (var o = 0; o < octaves; o++)
        {
            sum += amplitude * (2 * Sample(u, v, cellsU << o, cellsV << o, layer * 8 + o) - 1);
            norm += amplitude;
            amplitude *= 0.5f;
        }
        return sum / norm;
    }

    /// <summary>Distances from (u, v) to the nearest and second-nearest of one jittered point per cell
    /// (Worley noise), in cell units, wrapping at <paramref name="cells"/>: cracks and creases lie
    /// where the two are equal.</summary>
    public (float F1, float F2) Cells(float u, float v, int cells, int layer = 0)
    {
        float x = u * cells, y = v * cells;
        int cx = (int)MathF.Floor(x), cy = (int)MathF.Floor(y);
        float f1 = float.MaxValue, f2 = float.MaxValue;
        for (var dy = -1; dy <= 1; dy++)
        for (var dx = -1; dx <= 1; dx++)
        {
            int gx = cx + dx, gy = cy + dy, wx = Wrap(gx, cells), wy = Wrap(gy, cells);
            float px = gx + At(wx, wy, layer), py = gy + At(wx, wy, layer + 101);
            var d = MathF.Sqrt((px - x) * (px - x) + (py - y) * (py - y));
            if (d < f1) (f1, f2) = (d, f1);
            else if (d < f2) f2 = d;
        }
        return (f1, f2);
    }

    /// <summary>One lattice value in [0,1] for an integer cell: per-plank, per-tile and per-thread tones.</summary>
    public float Hash(int x, int y, int layer = 0) => At(Wrap(x, Lattice), Wrap(y, Lattice), layer);

    // Layers shift the lattice by coprime strides, so they look independent without more random draws.
    private float At(int x, int y, int layer) => _values[((y + layer * 61) & (Lattice - 1)) * Lattice + ((x + layer * 113) & (Lattice - 1))];

    private static int Wrap(int i, int period)
    {
        var r = i % period;
        return r < 0 ? r + period : r;
    }

    private static float Smooth(float t) => t * t * t * (t * (6 * t - 15) + 10);
}

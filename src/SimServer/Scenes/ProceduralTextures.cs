using System.Numerics;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Scenes;

/// <summary>Seeded surface textures with detail at several scales, so photometric (stereo and
/// temporal) losses have gradients to work with on walls and floors.</summary>
public static class ProceduralTextures
{
    private const int Size = 128;

    public static Texture Plaster(Random rng) => Make(rng, (n, u, v) =>
        Vector3.One * (0.8f + 0.15f * n.Sample(u * 4, v * 4) + 0.1f * n.Sample(u * 16, v * 16)), Tint(rng, 0.55f, 0.9f));

    public static Texture WoodPlanks(Random rng) => Make(rng, (n, u, v) =>
    {
        var plank = MathF.Floor(v * 6);
        var grain = 0.5f + 0.5f * MathF.Sin(u * 60 + 6 * n.Sample(u * 4, plank * 3.7f) + plank * 1.3f);
        var seam = v * 6 - plank < 0.04f ? 0.45f : 1f;
        return new Vector3(0.55f, 0.36f, 0.2f) * ((0.75f + 0.25f * grain) * (0.85f + 0.3f * n.Sample(plank, 0.5f)) * seam);
    }, Tint(rng, 0.7f, 1f));

    public static Texture Tiles(Random rng) => Make(rng, (n, u, v) =>
    {
        float fu = u * 4 - MathF.Floor(u * 4), fv = v * 4 - MathF.Floor(v * 4);
        var grout = fu < 0.05f || fv < 0.05f;
        var checker = (((int)MathF.Floor(u * 4) + (int)MathF.Floor(v * 4)) & 1) == 0 ? 1f : 0.8f;
        return grout ? new Vector3(0.3f) : new Vector3(0.8f, 0.78f, 0.74f) * (checker * (0.9f + 0.1f * n.Sample(u * 30, v * 30)));
    }, Tint(rng, 0.7f, 1f));

    public static Texture Fabric(Random rng) => Make(rng, (n, u, v) =>
    {
        var weave = 0.85f + 0.15f * MathF.Sin(u * 200) * MathF.Sin(v * 200);
        return Vector3.One * (weave * (0.7f + 0.3f * n.Sample(u * 12, v * 12)));
    }, Tint(rng, 0.25f, 0.9f));

    private static Vector3 Tint(Random rng, float lo, float hi) =>
        new(lo + (hi - lo) * rng.NextSingle(), lo + (hi - lo) * rng.NextSingle(), lo + (hi - lo) * rng.NextSingle());

    private static Texture Make(Random rng, Func<ValueNoise, float, float, Vector3> shade, Vector3? tint = null)
    {
        var noise = new ValueNoise(rng.Next());
        var data = new float[Size * Size * 3];
        var t = tint ?? Vector3.One;
        for (var y = 0; y < Size; y++)
        for (var x = 0; x < Size; x++)
        {
            var c = Vector3.Clamp(shade(noise, (float)x / Size, (float)y / Size) * t, Vector3.Zero, Vector3.One);
            var i = (y * Size + x) * 3;
            (data[i], data[i + 1], data[i + 2]) = (c.X, c.Y, c.Z);
        }
        return new Texture(Size, Size, data);
    }

    /// <summary>Smooth lattice noise in [0,1], periodic over 64 cells so tiled textures stay seamless
    /// when the frequency divides 64.</summary>
    private sealed class ValueNoise
    {
        private const int Period = 64;
        private readonly float[] _lattice = new float[Period * Period];

        public ValueNoise(int seed)
        {
            var rng = new Random(seed);
            for (var i = 0; i < _lattice.Length; i++) _lattice[i] = rng.NextSingle();
        }

        public float Sample(float u, float v)
        {
            int x0 = (int)MathF.Floor(u), y0 = (int)MathF.Floor(v);
            float fx = Smooth(u - x0), fy = Smooth(v - y0);
            float L(int x, int y) => _lattice[((y % Period + Period) % Period) * Period + (x % Period + Period) % Period];
            var top = L(x0, y0) + (L(x0 + 1, y0) - L(x0, y0)) * fx;
            var bottom = L(x0, y0 + 1) + (L(x0 + 1, y0 + 1) - L(x0, y0 + 1)) * fx;
            return top + (bottom - top) * fy;
        }

        private static float Smooth(float t) => t * t * (3 - 2 * t);
    }
}

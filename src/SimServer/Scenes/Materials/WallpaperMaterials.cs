using System.Numerics;
using DistDepth.SimServer.Geometry;
using static DistDepth.SimServer.Scenes.Materials.Palette;
using static DistDepth.SimServer.Scenes.Materials.Shaping;

namespace DistDepth.SimServer.Scenes.Materials;

/// <summary>Wallpaper, assuming a 1 m repeat: vertical stripes or a half-drop grid of printed motifs
/// (flowers, diamonds, dots) on a muted ground, with the paper's own fine texture.</summary>
internal static class WallpaperMaterials
{
    private static readonly Vector3[] Grounds =
    [
        new(0.86f, 0.82f, 0.72f), new(0.78f, 0.80f, 0.76f), new(0.70f, 0.76f, 0.80f), new(0.84f, 0.76f, 0.70f),
        new(0.58f, 0.64f, 0.56f), new(0.36f, 0.40f, 0.48f), new(0.90f, 0.88f, 0.84f),
    ];

    public static Texture Create(Random rng)
    {
        var ground = Pick(rng, Grounds);
        // The print is the ground darkened, lightened or a second muted colour, as two-tone papers are.
        var ink = rng.Next(3) switch
        {
            0 => ground * (0.72f + 0.1f * rng.NextSingle()),
            1 => Vector3.Min(ground * 1.15f, Vector3.One),
            _ => Pick(rng, Grounds) * 0.8f,
        };
        var noise = new TextureNoise(rng);
        Func<float, float, float> print = rng.Next(2) == 0 ? Stripes(rng) : Motifs(rng);
        return TextureCanvas.Paint(TextureCanvas.Large, (u, v) =>
        {
            var paper = 1 + 0.025f * (noise.Sample(u, v, 256, 256) - 0.5f) + 0.02f * noise.Fractal(u, v, 4, 4, 2, 1);
            return Vector3.Lerp(ground, ink, print(u, v)) * paper;
        });
    }

    /// <summary>Coverage of the print at (u, v): 4-12 stripe units a repeat, each a wide band and,
    /// sometimes, a pinstripe.</summary>
    private static Func<float, float, float> Stripes(Random rng)
    {
        var units = rng.Next(4, 13);
        var wide = 0.3f + 0.3f * rng.NextSingle();
        var pin = rng.Next(2) == 0 ? 0.04f : 0f;
        const float texel = 1f / TextureCanvas.Large;
        return (u, _) =>
        {
            var x = Frac(u * units);
            var edge = texel * units; // antialias over about a texel
            var band = SmoothStep(0, edge, x) * (1 - SmoothStep(wide - edge, wide, x));
            var pinstripe = pin > 0 && MathF.Abs(x - (wide + 1) / 2) < pin / 2 ? 1f : 0f;
            return MathF.Max(band, pinstripe);
        };
    }

    /// <summary>Coverage of a motif grid: an even number of columns, every other one dropped half a
    /// cell (a half-drop repeat), so the pattern still tiles.</summary>
    private static Func<float, float, float> Motifs(Random rng)
    {
        var columns = 2 * rng.Next(2, 5);
        var rows = columns + 2 * rng.Next(0, 2);
        var shape = rng.Next(3);
        var petals = rng.Next(4, 7);
        var scale = 0.22f + 0.12f * rng.NextSingle();
        var edge = 1.5f * columns / TextureCanvas.Large;
        return (u, v) =>
        {
            var x = u * columns;
            var column = MathF.Floor(x);
            var y = v * rows + ((int)column & 1) * 0.5f;
            float lx = x - column - 0.5f, ly = Frac(y) - 0.5f;
            var r = MathF.Sqrt(lx * lx + ly * ly);
            var distance = shape switch
            {
                0 => r - scale * (0.55f + 0.45f * MathF.Abs(MathF.Cos(petals * MathF.Atan2(ly, lx) / 2))), // flower
                1 => MathF.Abs(lx) + MathF.Abs(ly) * 0.7f - scale,                                          // diamond
                _ => r - scale * 0.45f,                                                                       // dot
            };
            var centre = shape == 0 && r < scale * 0.18f ? 0.4f : 0f; // a flower's heart, in the ground colour
            return (1 - SmoothStep(-edge, edge, distance)) * (1 - centre);
        };
    }
}

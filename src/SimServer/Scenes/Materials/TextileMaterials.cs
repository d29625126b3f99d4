using System.Numerics;
using DistDepth.SimServer.Geometry;
using static DistDepth.SimServer.Scenes.Materials.Palette;
using static DistDepth.SimServer.Scenes.Materials.Shaping;

namespace DistDepth.SimServer.Scenes.Materials;

/// <summary>Woven and tufted textiles: upholstery (warp and weft threads with slubs), carpet (fine pile
/// and mottling), lamp shades (fine linen) and leather (pebbled grain with creases).</summary>
internal static class TextileMaterials
{
    private static readonly Vector3[] Upholstery =
    [
        new(0.52f, 0.52f, 0.50f), new(0.26f, 0.27f, 0.29f), new(0.70f, 0.64f, 0.54f), new(0.78f, 0.74f, 0.66f),
        new(0.22f, 0.27f, 0.40f), new(0.42f, 0.44f, 0.30f), new(0.58f, 0.32f, 0.22f), new(0.30f, 0.44f, 0.46f),
        new(0.70f, 0.56f, 0.28f), new(0.68f, 0.52f, 0.52f), new(0.40f, 0.30f, 0.24f),
    ];

    private static readonly Vector3[] Carpets =
    [
        new(0.70f, 0.64f, 0.54f), new(0.55f, 0.55f, 0.54f), new(0.30f, 0.30f, 0.31f), new(0.45f, 0.50f, 0.56f),
        new(0.45f, 0.36f, 0.28f), new(0.45f, 0.50f, 0.40f), new(0.80f, 0.76f, 0.68f),
    ];

    private static readonly Vector3[] Shades = [new(0.92f, 0.88f, 0.78f), new(0.94f, 0.93f, 0.90f), new(0.82f, 0.74f, 0.62f), new(0.70f, 0.72f, 0.70f)];

    private static readonly Vector3[] Hides =
    [
        new(0.42f, 0.26f, 0.16f), new(0.62f, 0.42f, 0.26f), new(0.55f, 0.30f, 0.16f), new(0.10f, 0.09f, 0.09f),
        new(0.36f, 0.14f, 0.13f), new(0.56f, 0.54f, 0.50f), new(0.78f, 0.72f, 0.62f),
    ];

    /// <summary>Upholstery, assuming a 0.4 m repeat: 32-64 threads a repeat (6-12 mm, a coarse weave),
    /// plain or twill, warp and weft in slightly different yarns.</summary>
    public static Texture Fabric(Random rng)
    {
        var warp = Pick(rng, Upholstery);
        var weft = Vary(rng, warp, 0.12f);
        var twill = rng.Next(2) == 0;
        // A twill's diagonal steps one thread a row over three threads: 48 keeps it whole across the seam.
        return Woven(rng, warp, weft, threads: twill ? 48 : 16 * rng.Next(2, 5), relief: 0.35f, twill);
    }

    /// <summary>Lamp shades: a fine, even linen in pale colours; the light baked around the lamp does the rest.</summary>
    public static Texture LampShade(Random rng)
    {
        var linen = Pick(rng, Shades, 0.04f);
        return Woven(rng, linen, linen * 0.96f, threads: 96, relief: 0.12f, twill: false);
    }

    /// <summary>Carpet, assuming a 1 m repeat: pile that differs texel to texel, tufts a few texels
    /// wide and wear and dye mottling over tens of centimetres.</summary>
    public static Texture Carpet(Random rng)
    {
        var color = Pick(rng, Carpets);
        var noise = new TextureNoise(rng);
        const int size = TextureCanvas.Large;
        return TextureCanvas.Paint(size, (u, v) =>
        {
            var pile = 0.30f * (noise.Sample(u, v, size, size) - 0.5f);
            var tufts = 0.14f * (noise.Sample(u, v, size / 4, size / 4, 1) - 0.5f);
            var mottle = 0.08f * noise.Fractal(u, v, 4, 4, 3, 2);
            return color * (1 + pile + tufts + mottle);
        });
    }

    /// <summary>Leather, assuming a 0.3 m repeat: pebbled cells, darker creases between them, worn patches.</summary>
    public static Texture Leather(Random rng)
    {
        var hide = Pick(rng, Hides);
        var noise = new TextureNoise(rng);
        var cells = 24 + 8 * rng.Next(3);
        return TextureCanvas.Paint(TextureCanvas.Large, (u, v) =>
        {
            var (f1, f2) = noise.Cells(u, v, cells);
            var crease = 1 - 0.22f * (1 - SmoothStep(0f, 0.12f, f2 - f1));
            var pebble = 1 - 0.10f * f1 * f1;
            var wear = 1 + 0.10f * noise.Fractal(u, v, 3, 3, 4, 1);
            return hide * (crease * pebble * wear);
        });
    }

    /// <summary>Warp threads run along v, weft along u; where a thread is on top, its rounded profile
    /// shades it and its own slub noise varies its thickness and tone along its length.</summary>
    private static Texture Woven(Random rng, Vector3 warp, Vector3 weft, int threads, float relief, bool twill)
    {
        var noise = new TextureNoise(rng);
        return TextureCanvas.Paint(TextureCanvas.Large, (u, v) =>
        {
            float x = u * threads, y = v * threads;
            int column = (int)MathF.Floor(x), row = (int)MathF.Floor(y);
            float fx = x - column, fy = y - row;
            var warpOnTop = twill ? (column + row) % 3 != 0 : ((column + row) & 1) == 0;
            var across = warpOnTop ? fx : fy;
            var along = warpOnTop ? fy : fx;
            var slub = warpOnTop
                ? noise.Sample((column + 0.5f) / threads, v, threads, 6)
                : noise.Sample(u, (row + 0.5f) / threads, 6, threads, 1);
            // A slub is a thicker, slightly lighter stretch of yarn; the thread's profile narrows elsewhere.
            var width = 0.35f + 0.25f * slub;
            var profile = SmoothStep(0, width, MathF.Sin(MathF.PI * across));
            var dip = 1 - relief * 0.4f * MathF.Pow(MathF.Cos(MathF.PI * along), 8);
            var yarn = (warpOnTop ? warp : weft) * (1 + 0.15f * (slub - 0.5f));
            var mottle = 1 + 0.05f * noise.Fractal(u, v, 4, 4, 3, 2);
            return yarn * ((1 - relief + relief * profile) * dip * mottle);
        });
    }
}

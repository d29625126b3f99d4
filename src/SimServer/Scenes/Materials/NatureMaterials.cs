using System.Numerics;
using DistDepth.SimServer.Geometry;
using static DistDepth.SimServer.Scenes.Materials.Palette;
using static DistDepth.SimServer.Scenes.Materials.Shaping;

namespace DistDepth.SimServer.Scenes.Materials;

/// <summary>Plant foliage (overlapping leaves of varied greens with midribs and side veins, over the
/// shadowed inside of the plant) and potting soil (clods, grit and a mottled brown).</summary>
internal static class NatureMaterials
{
    private static readonly Vector3[] Greens =
    [
        new(0.22f, 0.38f, 0.14f), new(0.14f, 0.28f, 0.12f), new(0.36f, 0.48f, 0.18f), new(0.18f, 0.34f, 0.24f),
        new(0.32f, 0.36f, 0.16f), new(0.42f, 0.52f, 0.26f),
    ];

    private static readonly Vector3[] Soils = [new(0.24f, 0.17f, 0.12f), new(0.30f, 0.25f, 0.20f), new(0.34f, 0.22f, 0.14f), new(0.18f, 0.14f, 0.11f)];

    /// <summary>Foliage, assuming a 0.5 m repeat: 140 leaves of 5-12 cm, drawn in order, later ones on top.</summary>
    public static Texture Leaves(Random rng)
    {
        const int size = TextureCanvas.Small;
        var plant = Pick(rng, Greens, 0.06f);
        var canvas = new TextureCanvas(size, plant * 0.3f);
        for (var leaf = 0; leaf < 140; leaf++)
        {
            var green = Vary(rng, Vector3.Lerp(plant, Greens[rng.Next(Greens.Length)], 0.4f), 0.15f);
            // Leaves deeper in the plant get less light.
            var light = 0.5f + 0.6f * (float)leaf / 140;
            float cx = size * rng.NextSingle(), cy = size * rng.NextSingle(), angle = MathF.Tau * rng.NextSingle();
            var length = (0.1f + 0.14f * rng.NextSingle()) * size;
            var width = length * (0.18f + 0.14f * rng.NextSingle());
            DrawLeaf(canvas, cx, cy, angle, length, width, green * light);
        }
        return canvas.ToTexture();
    }

    /// <summary>Soil, assuming a 0.3 m repeat.</summary>
    public static Texture Soil(Random rng)
    {
        var soil = Pick(rng, Soils, 0.06f);
        var noise = new TextureNoise(rng);
        const int size = TextureCanvas.Small;
        return TextureCanvas.Paint(size, (u, v) =>
        {
            var (f1, f2) = noise.Cells(u, v, 16);
            var clods = 1 - 0.35f * (1 - SmoothStep(0, 0.2f, f2 - f1));
            var grit = noise.Sample(u, v, size, size, 1);
            var speck = grit > 0.93f ? 1.8f : grit < 0.06f ? 0.5f : 1f;
            return soil * (clods * speck * (1 + 0.2f * noise.Fractal(u, v, 4, 4, 3, 2)));
        });
    }

    /// <summary>One leaf from its stem at (cx, cy) along <paramref name="angle"/>: the half-width swells
    /// and tapers as sin(pi t) along it, its face curves away from the midrib, side veins run toward the tip.</summary>
    private static void DrawLeaf(TextureCanvas canvas, float cx, float cy, float angle, float length, float width, Vector3 color)
    {
        float ax = MathF.Cos(angle), ay = MathF.Sin(angle);
        var reach = (int)MathF.Ceiling(length);
        for (var dy = -reach; dy <= reach; dy++)
        for (var dx = -reach; dx <= reach; dx++)
        {
            var along = dx * ax + dy * ay;
            var across = -dx * ay + dy * ax;
            var t = along / length;
            if (t <= 0 || t >= 1) continue;
            var half = width * MathF.Pow(MathF.Sin(MathF.PI * t), 0.8f);
            var side = MathF.Abs(across);
            if (side >= half) continue;
            var curve = 0.75f + 0.25f * (1 - side / half);
            var midrib = side < 0.6f ? 1.3f : 1f;
            var vein = Frac((along - side * 1.2f) / (0.14f * length)) < 0.15f ? 1.12f : 1f;
            var x = (int)MathF.Round(cx) + dx;
            var y = (int)MathF.Round(cy) + dy;
            canvas[x, y] = color * (curve * midrib * vein);
        }
    }
}

using System.Numerics;
using DistDepth.SimServer.Geometry;
using static DistDepth.SimServer.Scenes.Materials.Palette;
using static DistDepth.SimServer.Scenes.Materials.Shaping;

namespace DistDepth.SimServer.Scenes.Materials;

/// <summary>A rug stretched once over its quad: an outer guard stripe, a border band of repeated
/// diamonds or a zigzag, and a field with a central medallion and a lattice of small motifs, all
/// under a short pile that varies texel to texel. Traditional or muted modern colourings.</summary>
internal static class RugMaterial
{
    private static readonly Vector3[][] Colorings =
    [
        [new(0.50f, 0.14f, 0.12f), new(0.14f, 0.18f, 0.32f), new(0.84f, 0.78f, 0.62f), new(0.72f, 0.56f, 0.26f)], // traditional red
        [new(0.16f, 0.20f, 0.34f), new(0.80f, 0.74f, 0.60f), new(0.52f, 0.18f, 0.14f), new(0.62f, 0.62f, 0.58f)], // navy
        [new(0.62f, 0.60f, 0.56f), new(0.30f, 0.30f, 0.31f), new(0.84f, 0.82f, 0.78f), new(0.56f, 0.48f, 0.38f)], // modern grey
        [new(0.76f, 0.70f, 0.58f), new(0.42f, 0.36f, 0.30f), new(0.90f, 0.88f, 0.82f), new(0.46f, 0.52f, 0.50f)], // beige
    ];

    public static Texture Create(Random rng)
    {
        var colors = Colorings[rng.Next(Colorings.Length)].Select(c => Vary(rng, c, 0.08f)).ToArray();
        var (field, border, light, accent) = (colors[0], colors[1], colors[2], colors[3]);
        var noise = new TextureNoise(rng);
        var borderWidth = 0.10f + 0.06f * rng.NextSingle();
        var repeats = rng.Next(8, 15);
        var zigzag = rng.Next(2) == 0;
        var lattice = 2 * rng.Next(2, 5);
        var medallion = 0.18f + 0.1f * rng.NextSingle();
        const int size = TextureCanvas.Large;
        return TextureCanvas.Paint(size, (u, v) =>
        {
            float du = MathF.Min(u, 1 - u), dv = MathF.Min(v, 1 - v);
            var edge = MathF.Min(du, dv);
            Vector3 color;
            if (edge < 0.02f) color = border * 0.8f;
            else if (edge < 0.035f) color = light;
            else if (edge < borderWidth)
            {
                // Along the band, across it 0 at the outside to 1 at the inside.
                var along = du < dv ? v : u;
                var across = (edge - 0.035f) / (borderWidth - 0.035f);
                var t = MathF.Abs(Frac(along * repeats) - 0.5f) * 2;
                var inMotif = zigzag ? MathF.Abs(across - t) < 0.2f : MathF.Abs(across - 0.5f) * 2 + (1 - t) < 0.9f;
                color = inMotif ? accent : border;
            }
            else
            {
                float cu = u - 0.5f, cv = v - 0.5f;
                var diamond = MathF.Abs(cu) + MathF.Abs(cv) * 1.3f;
                var ring = Frac(diamond / medallion * 3);
                if (diamond < medallion) color = ring < 0.25f ? accent : ring < 0.5f ? light : border;
                else
                {
                    float lu = Frac(u * lattice) - 0.5f, lv = Frac(v * lattice) - 0.5f;
                    color = MathF.Abs(lu) + MathF.Abs(lv) < 0.12f ? accent : field;
                }
            }
            var pile = 1 + 0.22f * (noise.Sample(u, v, size, size) - 0.5f) + 0.06f * noise.Fractal(u, v, 4, 4, 3, 1);
            return color * pile;
        });
    }
}

using System.Numerics;
using DistDepth.SimServer.Geometry;
using static DistDepth.SimServer.Scenes.Materials.Palette;

namespace DistDepth.SimServer.Scenes.Materials;

/// <summary>Tiles set in grout: a tile size chosen per scene, straight or running-bond rows, a tone per
/// tile, darkened bevels along the edges and a glaze, stone or marble face.</summary>
internal static class TileMaterials
{
    private static readonly Vector3[] FloorColors =
    [
        new(0.80f, 0.76f, 0.68f), new(0.62f, 0.62f, 0.60f), new(0.66f, 0.42f, 0.30f), new(0.36f, 0.38f, 0.40f),
        new(0.88f, 0.86f, 0.82f), new(0.22f, 0.22f, 0.23f), new(0.72f, 0.66f, 0.56f),
    ];

    private static readonly Vector3[] WallColors =
    [
        new(0.92f, 0.92f, 0.90f), new(0.88f, 0.85f, 0.78f), new(0.76f, 0.78f, 0.78f), new(0.62f, 0.72f, 0.64f),
        new(0.52f, 0.62f, 0.72f), new(0.15f, 0.15f, 0.16f), new(0.30f, 0.42f, 0.46f),
    ];

    private enum Face { Glaze, Stone, Marble }

    /// <summary>Floor tiles, assuming a 1.2 m repeat: 2-4 tiles across (60-30 cm), square or half as deep.</summary>
    public static Texture Floor(Random rng)
    {
        var across = rng.Next(2, 5);
        var rows = rng.Next(2) == 0 ? across : 2 * across;
        return Tiles(rng, Pick(rng, FloorColors), across, rows, runningBond: rows % 2 == 0 && rng.Next(2) == 0);
    }

    /// <summary>Wall tiles, assuming a 0.6 m repeat: 4-8 across (15-7.5 cm), often brick-like subway tiles.</summary>
    public static Texture Wall(Random rng)
    {
        var across = 2 * rng.Next(2, 5);
        var subway = rng.Next(2) == 0;
        return Tiles(rng, Pick(rng, WallColors), across, subway ? 2 * across : across, runningBond: subway);
    }

    private static Texture Tiles(Random rng, Vector3 tile, int across, int rows, bool runningBond)
    {
        var face = (Face)rng.Next(3);
        var grout = rng.Next(3) switch
        {
            0 => new Vector3(0.80f, 0.79f, 0.76f),
            1 => new Vector3(0.30f, 0.30f, 0.30f),
            _ => tile * 0.7f,
        };
        const int size = TextureCanvas.Large;
        var groutTexels = 1f + 1.5f * rng.NextSingle();
        var toneSpread = 0.04f + 0.08f * rng.NextSingle();
        var noise = new TextureNoise(rng);
        return TextureCanvas.Paint(size, (u, v) =>
        {
            var y = v * rows;
            var row = (int)MathF.Floor(y);
            var x = u * across + (runningBond && (row & 1) == 1 ? 0.5f : 0);
            var column = (int)MathF.Floor(x);
            // Distance to the nearest tile edge in texels; grout inside groutTexels, a bevel just beyond.
            float inU = (x - column) * size / across, inV = (y - row) * size / rows;
            var edge = MathF.Min(MathF.Min(inU, size / (float)across - inU), MathF.Min(inV, size / (float)rows - inV));
            var sand = 1 + 0.08f * (noise.Sample(u, v, size, size, 7) - 0.5f);
            if (edge < groutTexels) return grout * sand;
            var bevel = 1 - 0.22f * MathF.Exp(-(edge - groutTexels) / 1.5f);
            var tone = 1 + toneSpread * (2 * noise.Hash(column % across, row, 3) - 1);
            return tile * (tone * bevel * FaceShade(face, noise, u, v));
        });
    }

    private static float FaceShade(Face face, TextureNoise noise, float u, float v) => face switch
    {
        Face.Glaze => 1 + 0.03f * noise.Fractal(u, v, 8, 8, 3, 1),
        Face.Stone => 1 + 0.12f * noise.Fractal(u, v, 8, 8, 5, 1) + 0.06f * (noise.Sample(u, v, 128, 128, 2) - 0.5f),
        _ => (1 + 0.04f * noise.Fractal(u, v, 4, 4, 3, 1))
             * (1 - 0.25f * MathF.Pow(1 - MathF.Abs(MathF.Sin(MathF.Tau * 2 * (u + v) + 4 * noise.Fractal(u, v, 3, 3, 4, 2))), 12)),
    };
}

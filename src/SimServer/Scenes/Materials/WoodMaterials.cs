using System.Numerics;
using DistDepth.SimServer.Geometry;
using static DistDepth.SimServer.Scenes.Materials.Palette;
using static DistDepth.SimServer.Scenes.Materials.Shaping;

namespace DistDepth.SimServer.Scenes.Materials;

/// <summary>Sawn boards: growth rings bent by noise, fine pores along the grain, a tone per board and
/// dark seams between boards (and staggered end joints on floors). The grain runs along u.</summary>
internal static class WoodMaterials
{
    private static readonly Vector3[] Species =
    [
        new(0.62f, 0.45f, 0.28f), // oak
        new(0.36f, 0.24f, 0.15f), // walnut
        new(0.78f, 0.63f, 0.45f), // maple
        new(0.55f, 0.31f, 0.19f), // cherry
        new(0.58f, 0.54f, 0.48f), // grey-washed ash
        new(0.25f, 0.16f, 0.10f), // dark stain
        new(0.74f, 0.56f, 0.35f), // pine
    ];

    /// <summary>Floorboards: 5-8 boards a repeat, each row cut by one or two staggered end joints.</summary>
    public static Texture Floor(Random rng) => Boards(rng, rng.Next(5, 9), joints: rng.Next(1, 3), seamShade: 0.45f);

    /// <summary>Furniture panels: 2-4 glued boards, seams barely visible, no end joints.</summary>
    public static Texture Furniture(Random rng) => Boards(rng, rng.Next(2, 5), joints: 0, seamShade: 0.8f);

    private static Texture Boards(Random rng, int boards, int joints, float seamShade)
    {
        var wood = Pick(rng, Species);
        var latewood = wood * (0.55f + 0.15f * rng.NextSingle());
        var ringsPerBoard = 8f + 14f * rng.NextSingle();
        var noise = new TextureNoise(rng);
        const int size = TextureCanvas.Large;
        var offsets = Enumerable.Range(0, boards).Select(_ => rng.NextSingle()).ToArray();
        var seamV = 1.2f / size * boards; // about a texel across, in board widths
        return TextureCanvas.Paint(size, (u, v) =>
        {
            var across = v * boards;
            var board = (int)MathF.Floor(across);
            var local = across - board;
            // Along a row, end joints split the board into pieces that each get their own tone and rings.
            var along = Frac(u - offsets[board]) * Math.Max(joints, 1);
            var piece = joints > 0 ? (int)along : 0;
            var tone = 0.85f + 0.3f * noise.Hash(board, piece, 3);
            // Rings drift a ring or two across a board over its length, with small wobbles: straight-ish grain.
            var bend = 1.2f * (2 * noise.Sample(u, v, 2, boards, 1) - 1) + 0.2f * noise.Fractal(u, v, 6, boards * 2, 2, 2);
            var ring = Frac(ringsPerBoard * local + bend + 7.3f * noise.Hash(board, piece, 4));
            var grain = Vector3.Lerp(wood * 1.05f, latewood, SmoothStep(0.6f, 0.95f, ring));
            var pores = 1 + 0.12f * (noise.Sample(u, v, 8, size, 5) - 0.5f);
            var mottle = 1 + 0.06f * noise.Fractal(u, v, 4, 4, 3, 6);
            var seam = local < seamV || local > 1 - seamV * 0.5f ? seamShade : 1;
            if (joints > 0 && Frac(along) * size / joints < 1.2f) seam = seamShade;
            return grain * (tone * pores * mottle * seam);
        });
    }
}

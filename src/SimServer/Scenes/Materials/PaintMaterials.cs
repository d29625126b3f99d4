using System.Numerics;
using DistDepth.SimServer.Geometry;
using static DistDepth.SimServer.Scenes.Materials.Palette;

namespace DistDepth.SimServer.Scenes.Materials;

/// <summary>Painted surfaces: plaster walls and ceilings (roller stipple, roller lanes, slight
/// unevenness at the scale of the wall) and painted wood (brush strokes along u, grain showing through).</summary>
internal static class PaintMaterials
{
    private static readonly Vector3[] WallPaints =
    [
        new(0.92f, 0.91f, 0.88f), // warm white
        new(0.88f, 0.86f, 0.80f), // off-white
        new(0.80f, 0.77f, 0.71f), // greige
        new(0.78f, 0.80f, 0.80f), // pale grey
        new(0.74f, 0.80f, 0.84f), // pale blue
        new(0.72f, 0.78f, 0.68f), // sage
        new(0.88f, 0.82f, 0.66f), // pale yellow
        new(0.82f, 0.68f, 0.58f), // soft terracotta
    ];

    private static readonly Vector3[] CeilingPaints = [new(0.90f, 0.89f, 0.87f), new(0.88f, 0.87f, 0.84f), new(0.91f, 0.90f, 0.88f)];

    private static readonly Vector3[] FurniturePaints =
    [
        new(0.88f, 0.87f, 0.84f), new(0.60f, 0.61f, 0.60f), new(0.20f, 0.25f, 0.36f), new(0.52f, 0.60f, 0.50f),
        new(0.12f, 0.12f, 0.12f), new(0.50f, 0.60f, 0.68f), new(0.72f, 0.60f, 0.32f), new(0.62f, 0.38f, 0.30f),
    ];

    private static readonly Vector3[] TrimPaints = [new(0.92f, 0.91f, 0.88f), new(0.86f, 0.84f, 0.78f), new(0.55f, 0.55f, 0.54f)];

    /// <summary>Walls, assuming a 2 m repeat: roller lanes about 23 cm wide run up the wall (along v).</summary>
    public static Texture Plaster(Random rng) => Roller(rng, Pick(rng, WallPaints, 0.04f), stipple: 0.045f);

    /// <summary>Ceilings: whiter and with a coarser stipple, as textured ceiling paint has.</summary>
    public static Texture Ceiling(Random rng) => Roller(rng, Pick(rng, CeilingPaints, 0.02f), stipple: 0.06f);

    public static Texture Furniture(Random rng) => Brushed(rng, Pick(rng, FurniturePaints, 0.06f));

    public static Texture Skirting(Random rng) => Brushed(rng, Pick(rng, TrimPaints, 0.03f));

    private static Texture Roller(Random rng, Vector3 paint, float stipple)
    {
        var noise = new TextureNoise(rng);
        var lanes = rng.Next(7, 11);
        return TextureCanvas.Paint(TextureCanvas.Large, (u, v) =>
        {
            var peel = stipple * (noise.Sample(u, v, 128, 128) - 0.5f) + 0.5f * stipple * (noise.Sample(u, v, 256, 256, 1) - 0.5f);
            var lane = 0.035f * (noise.Sample(u, v, lanes, 2, 2) - 0.5f);
            var uneven = 0.05f * noise.Fractal(u, v, 2, 2, 3, 3);
            return paint * (1 + peel + lane + uneven);
        });
    }

    private static Texture Brushed(Random rng, Vector3 paint)
    {
        var noise = new TextureNoise(rng);
        var rings = rng.Next(6, 13); // whole rings a repeat, so the texture tiles
        return TextureCanvas.Paint(TextureCanvas.Large, (u, v) =>
        {
            var strokes = 0.06f * (noise.Sample(u, v, 3, 96) - 0.5f) + 0.03f * (noise.Sample(u, v, 12, 256, 1) - 0.5f);
            var grain = 0.025f * MathF.Sin(MathF.Tau * (rings * v + 1.5f * noise.Fractal(u, v, 2, 4, 3, 2)));
            var uneven = 0.03f * noise.Fractal(u, v, 3, 3, 2, 3);
            return paint * (1 + strokes + grain + uneven);
        });
    }
}

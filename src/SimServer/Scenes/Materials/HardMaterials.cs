using System.Numerics;
using DistDepth.SimServer.Geometry;
using static DistDepth.SimServer.Scenes.Materials.Palette;

namespace DistDepth.SimServer.Scenes.Materials;

/// <summary>Manufactured finishes: brushed metal (streaks along u), moulded plastic (fine orange-peel
/// texture) and glazed ceramic (glaze pooling, kiln specks).</summary>
internal static class HardMaterials
{
    private static readonly Vector3[] Metals =
    [
        new(0.62f, 0.63f, 0.64f), // stainless steel
        new(0.76f, 0.77f, 0.78f), // aluminium
        new(0.70f, 0.58f, 0.36f), // brass
        new(0.18f, 0.18f, 0.19f), // black powder coat
        new(0.50f, 0.38f, 0.26f), // bronze
    ];

    private static readonly Vector3[] Plastics =
    [
        new(0.86f, 0.86f, 0.84f), new(0.10f, 0.10f, 0.11f), new(0.50f, 0.50f, 0.50f), new(0.78f, 0.72f, 0.60f),
        new(0.62f, 0.24f, 0.20f), new(0.24f, 0.36f, 0.56f), new(0.34f, 0.50f, 0.36f), new(0.80f, 0.66f, 0.26f),
    ];

    private static readonly Vector3[] Glazes =
    [
        new(0.90f, 0.89f, 0.86f), new(0.84f, 0.78f, 0.66f), new(0.62f, 0.72f, 0.62f), new(0.28f, 0.36f, 0.56f),
        new(0.66f, 0.38f, 0.26f), new(0.46f, 0.46f, 0.46f), new(0.20f, 0.20f, 0.20f),
    ];

    public static Texture Metal(Random rng)
    {
        var metal = Pick(rng, Metals, 0.05f);
        var noise = new TextureNoise(rng);
        const int size = TextureCanvas.Small;
        return TextureCanvas.Paint(size, (u, v) =>
        {
            var brushed = 0.10f * (noise.Sample(u, v, 4, size) - 0.5f) + 0.06f * (noise.Sample(u, v, 16, size, 1) - 0.5f);
            // Soft broad variation stands in for the room reflected in the metal.
            var sheen = 0.08f * noise.Fractal(u, v, 2, 2, 2, 2);
            return metal * (1 + brushed + sheen);
        });
    }

    public static Texture Plastic(Random rng)
    {
        var plastic = Pick(rng, Plastics, 0.05f);
        var noise = new TextureNoise(rng);
        const int size = TextureCanvas.Small;
        return TextureCanvas.Paint(size, (u, v) =>
        {
            var peel = 0.08f * (noise.Sample(u, v, size / 2, size / 2) - 0.5f) + 0.05f * (noise.Sample(u, v, size, size, 1) - 0.5f);
            return plastic * (1 + peel + 0.03f * noise.Fractal(u, v, 2, 2, 2, 2));
        });
    }

    public static Texture Ceramic(Random rng)
    {
        var glaze = Pick(rng, Glazes);
        var noise = new TextureNoise(rng);
        const int size = TextureCanvas.Small;
        return TextureCanvas.Paint(size, (u, v) =>
        {
            var pooling = 0.10f * noise.Fractal(u, v, 3, 3, 4);
            var speck = noise.Sample(u, v, size, size, 1) > 0.985f ? 0.6f : 1f;
            return glaze * ((1 + pooling) * speck);
        });
    }
}

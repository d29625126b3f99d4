using System.Numerics;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Scenes;

/// <summary>
/// A scene's materials: up to three variants per <see cref="Surface"/>, each a texture from
/// <see cref="SurfaceMaterials"/> and a tint, so a flat has two or three fabrics, woods and posters rather
/// than one per piece, and the renderer's texture atlas stays small. It draws from its own random stream: textures changing how
/// many numbers they draw must not move the furniture.
/// </summary>
internal sealed class Palette(MeshBuilder builder, Random rng)
{
    private const int VariantsPerSurface = 3;
    private readonly Texture?[,] _textures = new Texture?[Enum.GetValues<Surface>().Length, VariantsPerSurface];
    private readonly int[,] _variants = new int[Enum.GetValues<Surface>().Length, VariantsPerSurface];

    /// <summary>One of the scene's (up to three) variants of <paramref name="surface"/>, picked by <paramref name="pick"/>.</summary>
    public int Pick(Surface surface, Random pick) => Variant(surface, pick.Next(VariantsPerSurface));

    /// <summary>The scene's first variant of <paramref name="surface"/>: surfaces that should match across
    /// the flat (skirting, ceilings, windows).</summary>
    public int Main(Surface surface) => Variant(surface, 0);

    /// <summary>A material of its own (a room's paint): a fresh tint over the first variant's texture.</summary>
    public int Fresh(Surface surface) => Make(surface, 0);

    private int Variant(Surface surface, int variant)
    {
        // Stored as index + 1 so that the array's zeros mean "not made yet".
        ref var slot = ref _variants[(int)surface, variant];
        if (slot == 0) slot = Make(surface, variant) + 1;
        return slot - 1;
    }

    private int Make(Surface surface, int variant) =>
        builder.AddMaterial(new Material(Tint(surface), _textures[(int)surface, variant] ??= SurfaceMaterials.Create(surface, rng),
            Emissive: surface == Surface.Window)); // daylight: brighter than any wall the bake lights

    private Vector3 Tint(Surface surface)
    {
        float U(float lo, float hi) => lo + (hi - lo) * rng.NextSingle();
        return surface switch
        {
            Surface.PaintedPlaster or Surface.Wallpaper or Surface.PaintedFurniture => new(U(0.7f, 1), U(0.7f, 1), U(0.7f, 1)),
            Surface.WoodFloor or Surface.WoodFurniture => new Vector3(1, U(0.8f, 1), U(0.65f, 0.95f)) * U(0.65f, 1),
            Surface.Fabric or Surface.Rug or Surface.Carpet or Surface.Plastic => new(U(0.25f, 1), U(0.25f, 1), U(0.25f, 1)),
            Surface.Leather => new Vector3(1, 0.75f, 0.55f) * U(0.25f, 0.75f),
            Surface.Metal => new Vector3(U(0.45f, 0.9f)),
            Surface.Ceramic or Surface.FloorTiles or Surface.WallTiles => new(U(0.6f, 1), U(0.6f, 1), U(0.6f, 1)),
            Surface.LampShade => new(1, U(0.85f, 1), U(0.7f, 0.95f)),
            _ => Vector3.One,
        };
    }
}

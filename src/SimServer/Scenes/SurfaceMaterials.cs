using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Scenes;

/// <summary>Seeded textures for each <see cref="Surface"/>.</summary>
public static class SurfaceMaterials
{
    // Placeholder until the material library lands: today's four textures stand in for every surface.
    public static Texture Create(Surface surface, Random rng) => surface switch
    {
        Surface.WoodFloor or Surface.WoodFurniture or Surface.BookSpines => ProceduralTextures.WoodPlanks(rng),
        Surface.FloorTiles or Surface.WallTiles => ProceduralTextures.Tiles(rng),
        Surface.Fabric or Surface.Carpet or Surface.Rug or Surface.Leather => ProceduralTextures.Fabric(rng),
        _ => ProceduralTextures.Plaster(rng),
    };
}

using DistDepth.SimServer.Geometry;
using DistDepth.SimServer.Scenes.Materials;

namespace DistDepth.SimServer.Scenes;

/// <summary>
/// Seeded textures for each <see cref="Surface"/>, with the statistics of photographs at several scales
/// (threads and pores, boards and tiles, wear and unevenness) in muted, realistic colours drawn per scene.
/// Large surfaces get 256 x 256 texels, small or smooth ones 128 x 128 (768 KB and 192 KB as float textures,
/// 256 KB and 64 KB in the renderer's 8-bit atlas).
/// Every texture tiles; each is designed for a repeat of about this many metres (pass it as uvScale):
/// PaintedPlaster, CeilingPlaster 2; Wallpaper, Carpet 1; WoodFloor, FloorTiles 1.2; WallTiles, WoodFurniture,
/// PaintedFurniture, BookSpines 0.6 (books: the shelf's height along v); Skirting, Metal, Plastic, Leaves 0.5;
/// Fabric 0.4; Leather, Ceramic, Soil 0.3. Poster, Screen, Window and Rug are pictures, stretched once over
/// their quad (UVs 0-1), v = 0 at the top.
/// </summary>
public static class SurfaceMaterials
{
    public static Texture Create(Surface surface, Random rng) => surface switch
    {
        Surface.PaintedPlaster => PaintMaterials.Plaster(rng),
        Surface.CeilingPlaster => PaintMaterials.Ceiling(rng),
        Surface.PaintedFurniture => PaintMaterials.Furniture(rng),
        Surface.Skirting => PaintMaterials.Skirting(rng),
        Surface.Wallpaper => WallpaperMaterials.Create(rng),
        Surface.WoodFloor => WoodMaterials.Floor(rng),
        Surface.WoodFurniture => WoodMaterials.Furniture(rng),
        Surface.FloorTiles => TileMaterials.Floor(rng),
        Surface.WallTiles => TileMaterials.Wall(rng),
        Surface.Carpet => TextileMaterials.Carpet(rng),
        Surface.Fabric => TextileMaterials.Fabric(rng),
        Surface.Leather => TextileMaterials.Leather(rng),
        Surface.LampShade => TextileMaterials.LampShade(rng),
        Surface.Rug => RugMaterial.Create(rng),
        Surface.Metal => HardMaterials.Metal(rng),
        Surface.Plastic => HardMaterials.Plastic(rng),
        Surface.Ceramic => HardMaterials.Ceramic(rng),
        Surface.Leaves => NatureMaterials.Leaves(rng),
        Surface.Soil => NatureMaterials.Soil(rng),
        Surface.BookSpines => BookSpines.Create(rng),
        Surface.Poster => PosterMaterial.Create(rng),
        Surface.Screen => ScreenAndWindow.Screen(rng),
        Surface.Window => ScreenAndWindow.Window(rng),
        _ => throw new ArgumentOutOfRangeException(nameof(surface), surface, "no material for this surface"),
    };
}

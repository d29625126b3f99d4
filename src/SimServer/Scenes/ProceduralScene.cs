using System.Numerics;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Scenes;

/// <summary>A light the generator placed (a ceiling fitting, a lamp's shade), baked into the vertex
/// colours at load: <paramref name="Intensity"/> is the irradiance factor at 1 m, falling off as
/// 1 / (d^2 + <paramref name="Radius"/>^2) so it stays soft near the fitting.</summary>
public sealed record SceneLight(Vector3 Position, Vector3 Color, float Intensity, float Radius);

/// <summary>A generated interior: its mesh and the lights its fittings give.</summary>
public sealed record ProceduralScene(SceneMesh Mesh, IReadOnlyList<SceneLight> Lights);

/// <summary>The surfaces the interior generator asks <see cref="SurfaceMaterials"/> for.</summary>
public enum Surface
{
    PaintedPlaster,
    Wallpaper,
    WoodFloor,
    Carpet,
    FloorTiles,
    WallTiles,
    CeilingPlaster,
    Skirting,
    WoodFurniture,
    PaintedFurniture,
    Fabric,
    Leather,
    Metal,
    Plastic,
    Ceramic,
    Leaves,
    Soil,
    BookSpines,
    Poster,
    Screen,
    Window,
    Rug,
    LampShade,
}

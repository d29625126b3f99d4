using DistDepth.SimServer.Navigation;

namespace DistDepth.SimServer.Scenes;

/// <summary>A scene file (or habitat stage config) to a checked, y-up scene: read the mesh, turn it
/// by its up axis, build the floor grid, and refuse it when it looks sideways or has no floor.</summary>
public static class SceneFiles
{
    /// <param name="requested">the user's --up, or null for the config's or habitat's file-name rule</param>
    public static LoadedScene Load(string id, string path, SceneAxes? requested)
    {
        var config = SceneConfig.For(path, requested);
        var kind = SceneCatalog.KindOf(config.MeshPath);
        var stored = kind == Sim.V1.SceneKind.Ply ? PlyReader.Read(config.MeshPath) : GltfReader.Read(config.MeshPath);
        var mesh = config.Axes.Apply(stored);
        var grid = NavGrid.Build(mesh);
        var orientation = config.Axes.Describe() + (config.ConfigPath != null ? $" as {Path.GetFileName(config.ConfigPath)} says" : requested != null ? "" : " by habitat's rule for its file type");
        FloorGuard.Check(mesh, grid, orientation, axesGiven: requested != null || config.ConfigPath != null);
        return new LoadedScene(id, kind, mesh, grid);
    }
}

using System.Collections.Concurrent;
using System.Globalization;
using DistDepth.Sim.V1;
using DistDepth.SimServer.Geometry;
using DistDepth.SimServer.Navigation;
using DistDepth.SimServer.Rendering;

namespace DistDepth.SimServer.Scenes;

/// <summary>A scene ready to simulate: its mesh and walkable grid, shared by every session on it.</summary>
public sealed record LoadedScene(string Id, SceneKind Kind, SceneMesh Mesh, NavGrid Grid);

public sealed class SceneNotFoundException(string message) : IOException(message);

/// <summary>
/// Resolves scene ids: "procedural:&lt;seed&gt;", a file name in the scene folder, or a path to a
/// .ply/.glb/.gltf (or habitat *.stage_config.json) the server can read. Loaded scenes are cached,
/// since meshes are immutable. <paramref name="defaultUp"/> is the server's --up ("y", "z" or null
/// for habitat's rules per file; see <see cref="SceneConfig"/>); <paramref name="shading"/> its --shading.
/// </summary>
public sealed class SceneCatalog(string? sceneDirectory, string? defaultUp = null, SceneShading shading = SceneShading.Ao)
{
    public const string ProceduralPrefix = "procedural:";
    private static readonly string[] Extensions = [".ply", ".glb", ".gltf"];
    private readonly ConcurrentDictionary<string, LoadedScene> _loaded = new();

    public IReadOnlyList<SceneInfo> List()
    {
        var scenes = Enumerable.Range(0, 4).Select(i => new SceneInfo
        {
            Id = ProceduralPrefix + i, Kind = SceneKind.Procedural,
            Description = "procedural indoor layout; any procedural:<seed> works",
        }).ToList();
        if (sceneDirectory != null && Directory.Exists(sceneDirectory))
            scenes.AddRange(Directory.EnumerateFiles(sceneDirectory, "*", SearchOption.AllDirectories)
                .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()) || SceneConfig.IsConfig(f))
                .Order(StringComparer.Ordinal)
                .Select(f => new SceneInfo { Id = Path.GetRelativePath(sceneDirectory, f), Kind = KindOf(f), Description = "mesh file" }));
        return scenes;
    }

    /// <exception cref="SceneNotFoundException">no such scene</exception>
    /// <exception cref="SceneFormatException">the file is unreadable or not a usable mesh</exception>
    /// <param name="up">"y" or "z" to override the file's rules; null or empty for the server's default</param>
    public LoadedScene Load(string id, string? up = null)
    {
        up = string.IsNullOrWhiteSpace(up) ? defaultUp : up;
        var axes = SceneAxes.Parse(up);
        var key = string.IsNullOrWhiteSpace(up) || id.StartsWith(ProceduralPrefix, StringComparison.Ordinal) ? id : $"{id}\n{up}";
        if (_loaded.TryGetValue(key, out var cached)) return cached;
        LoadedScene scene;
        if (id.StartsWith(ProceduralPrefix, StringComparison.Ordinal))
        {
            if (!ulong.TryParse(id.AsSpan(ProceduralPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
                throw new SceneNotFoundException($"scene '{id}' not found: procedural scenes are 'procedural:<seed>' with a non-negative integer seed");
            scene = Prepare(id, SceneKind.Procedural, ProceduralLayout.Generate(seed));
        }
        else
        {
            scene = SceneFiles.Load(id, Resolve(id), axes);
        }
        return _loaded.GetOrAdd(key, scene with { Mesh = AmbientOcclusion.Apply(scene.Mesh, shading) });
    }

    private static LoadedScene Prepare(string id, SceneKind kind, SceneMesh mesh) => new(id, kind, mesh, NavGrid.Build(mesh));

    private string Resolve(string id)
    {
        var candidates = sceneDirectory != null && !Path.IsPathRooted(id) ? [Path.Combine(sceneDirectory, id), id] : new[] { id };
        var path = candidates.FirstOrDefault(File.Exists)
            ?? throw new SceneNotFoundException($"scene '{id}' not found: give procedural:<seed>, a scene file under the scene folder or a path to a file the server can read" +
                                                (sceneDirectory != null ? $" (relative paths are looked up in {sceneDirectory})" : ""));
        if (!Extensions.Contains(Path.GetExtension(path).ToLowerInvariant()) && !SceneConfig.IsConfig(path))
            throw new SceneFormatException($"'{Path.GetFileName(path)}' is not a .ply, .glb, .gltf or {SceneConfig.StageSuffix} file");
        return path;
    }

    internal static SceneKind KindOf(string path) => Path.GetExtension(path).Equals(".ply", StringComparison.OrdinalIgnoreCase) ? SceneKind.Ply : SceneKind.Gltf;
}

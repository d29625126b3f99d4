using System.Globalization;
using System.Runtime.InteropServices;
using DistDepth.Sim.V1;
using DistDepth.SimServer.Geometry;
using DistDepth.SimServer.Navigation;
using DistDepth.SimServer.Rendering;

namespace DistDepth.SimServer.Scenes;

/// <summary>A scene ready to simulate: its mesh and walkable grid, shared by every session on it.</summary>
public sealed record LoadedScene(string Id, SceneKind Kind, SceneMesh Mesh, NavGrid Grid);

public sealed class SceneNotFoundException(string message) : IOException(message);

/// <summary>
/// Resolves scene ids: "procedural:&lt;seed&gt;", a file in the scene folder named relative to it (a
/// .ply/.glb/.gltf or a habitat *.stage_config.json), or one of the files the owner of the process named
/// itself (<paramref name="namedFiles"/>: simgen's command line). Clients reach nothing else: an absolute
/// path, a '..' or a link that leads out of the folder is not found, with the same words as a file that
/// is absent, so a client learns nothing about other files. The last <paramref name="cacheSize"/> scenes
/// loaded stay in memory, under their canonical ids. <paramref name="defaultUp"/> is the server's --up
/// ("y", "z" or null for habitat's rules per file; see <see cref="SceneConfig"/>); <paramref name="shading"/> its --shading.
/// </summary>
public sealed partial class SceneCatalog(string? sceneDirectory, int cacheSize = SceneCatalog.DefaultCacheSize, IEnumerable<string>? namedFiles = null,
    string? defaultUp = null, SceneShading shading = SceneShading.Lit)
{
    public const string ProceduralPrefix = "procedural:";
    /// <summary>The generator's first rooms (boxes with block furniture, before issue 19), kept unchanged so that
    /// datasets made with them can be remade and depth checks keep their reference.</summary>
    public const string FirstProceduralPrefix = "procedural-v1:";
    public const int DefaultCacheSize = 8;
    private static readonly string[] Extensions = [".ply", ".glb", ".gltf"];
    private readonly string? _root = sceneDirectory == null ? null : RealPath(Path.GetFullPath(sceneDirectory));
    private readonly HashSet<string> _named = new(namedFiles ?? [], StringComparer.Ordinal);
    private readonly SceneCache _cache = new(cacheSize);

    public IReadOnlyList<SceneInfo> List()
    {
        var scenes = Enumerable.Range(0, 4).Select(i => new SceneInfo
        {
            Id = ProceduralPrefix + i, Kind = SceneKind.Procedural,
            Description = "procedural furnished interior; any procedural:<seed> works",
        }).Append(new SceneInfo
        {
            Id = FirstProceduralPrefix + 0, Kind = SceneKind.Procedural,
            Description = "the first procedural rooms (box rooms, block furniture); any procedural-v1:<seed> works",
        }).ToList();
        if (_root != null && Directory.Exists(_root))
            scenes.AddRange(Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories)
                .Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant()) || SceneConfig.IsConfig(f))
                .Select(f => Path.GetRelativePath(_root, f))
                .Where(id => Confine(id) != null) // links out of the folder are not offered
                .Order(StringComparer.Ordinal)
                .Select(id => new SceneInfo { Id = id, Kind = KindOf(id), Description = "mesh file" }));
        return scenes;
    }

    /// <exception cref="SceneNotFoundException">no such scene, or not one this catalog may read</exception>
    /// <exception cref="SceneFormatException">the file is unreadable or not a usable mesh</exception>
    /// <param name="up">"y" or "z" to override the file's rules; null or empty for the server's default</param>
    public LoadedScene Load(string id, string? up = null)
    {
        up = string.IsNullOrWhiteSpace(up) ? defaultUp : up;
        var axes = SceneAxes.Parse(up);
        if (IsProcedural(id, out var prefix))
        {
            if (!ulong.TryParse(id.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
                throw new SceneNotFoundException($"scene '{id}' not found: procedural scenes are '{prefix}<seed>' with a non-negative integer seed");
            var canonical = prefix + seed.ToString(CultureInfo.InvariantCulture);
            return _cache.GetOrLoad(canonical, () => prefix == FirstProceduralPrefix
                ? Shaded(Prepare(canonical, SceneKind.Procedural, ProceduralLayout.Generate(seed)))
                : Interior(canonical, InteriorLayout.Generate(seed)));
        }
        var path = Resolve(id);
        if (!Extensions.Contains(Path.GetExtension(path).ToLowerInvariant()) && !SceneConfig.IsConfig(path))
            throw new SceneFormatException($"'{id}' is not a .ply, .glb, .gltf or {SceneConfig.StageSuffix} file");
        var key = string.IsNullOrWhiteSpace(up) ? path : $"{path}\n{up}";
        return _cache.GetOrLoad(key, () => Shaded(SceneFiles.Load(id, path, axes)));
    }

    /// <summary>Whether <paramref name="id"/> names a generated scene, and of which generation.</summary>
    public static bool IsProcedural(string id, out string prefix)
    {
        prefix = id.StartsWith(ProceduralPrefix, StringComparison.Ordinal) ? ProceduralPrefix
            : id.StartsWith(FirstProceduralPrefix, StringComparison.Ordinal) ? FirstProceduralPrefix : "";
        return prefix.Length > 0;
    }

    private static LoadedScene Prepare(string id, SceneKind kind, SceneMesh mesh) => new(id, kind, mesh, NavGrid.Build(mesh));

    /// <summary>A generated interior, lit by its own fittings under <see cref="SceneShading.Lit"/>.</summary>
    private LoadedScene Interior(string id, ProceduralScene scene) => new(id, SceneKind.Procedural,
        shading == SceneShading.Lit ? LightBake.Apply(scene.Mesh, scene.Lights) : AmbientOcclusion.Apply(scene.Mesh, shading), NavGrid.Build(scene.Mesh));

    private LoadedScene Shaded(LoadedScene scene) => scene with { Mesh = AmbientOcclusion.Apply(scene.Mesh, shading) };

    /// <summary>The real path of the file <paramref name="id"/> names, if a client may read it.</summary>
    private string Resolve(string id)
    {
        if (_named.Contains(id) && File.Exists(id)) return RealPath(Path.GetFullPath(id)) ?? id;
        return Confine(id) is { } path && File.Exists(path) ? path
            : throw new SceneNotFoundException($"scene '{id}' not found: give procedural:<seed> or a scene file" +
                                               (_root != null ? " named relative to the server's scene folder" : " (this server has no scene folder: start it with --scenes)"));
    }

    private string? Confine(string id)
    {
        if (_root == null || id.Length == 0 || id.Contains('\0') || Path.IsPathRooted(id) || id.Split('/', '\\').Contains("..")) return null;
        var real = RealPath(Path.Combine(_root, id));
        return real != null && real.StartsWith(_root + "/", StringComparison.Ordinal) ? real : null;
    }

    /// <summary>The path with every link resolved (realpath(3)), or null when some part of it does not exist.</summary>
    private static unsafe string? RealPath(string path)
    {
        var resolved = RealPathNative(path, IntPtr.Zero);
        if (resolved == IntPtr.Zero) return null;
        try
        {
            return Marshal.PtrToStringUTF8(resolved);
        }
        finally
        {
            NativeMemory.Free((void*)resolved); // realpath mallocs it
        }
    }

    [LibraryImport("libc", EntryPoint = "realpath", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr RealPathNative(string path, IntPtr resolved);

    internal static SceneKind KindOf(string path) => Path.GetExtension(path).Equals(".ply", StringComparison.OrdinalIgnoreCase) ? SceneKind.Ply : SceneKind.Gltf;
}

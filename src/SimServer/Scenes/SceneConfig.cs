using System.Numerics;
using System.Text.Json;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Scenes;

/// <summary>
/// Which mesh a scene id names and how it is oriented, read the way habitat-sim reads a stage:
/// a <c>*.stage_config.json</c> (its <c>render_asset</c>, <c>up</c>, <c>front</c>, <c>scale</c>),
/// the one beside a mesh (<c>simple_room.glb</c> + <c>simple_room.stage_config.json</c>), or the
/// <c>stages.default_attributes</c> of a <c>*.scene_dataset_config.json</c> in the mesh's folder or
/// one above it (Replica's and MP3D's layout); failing those, habitat's file-name rule.
/// An explicit up axis (<c>--up</c>) wins over all of them. Habitat's <c>.navmesh</c> is not read:
/// the walkable floor is always our own grid (see NavGrid).
/// </summary>
public sealed record SceneConfig(string MeshPath, SceneAxes Axes, string? ConfigPath)
{
    public const string StageSuffix = ".stage_config.json";
    public const string DatasetSuffix = ".scene_dataset_config.json";
    private const int DatasetSearchDepth = 3;

    public static bool IsConfig(string path) => path.EndsWith(StageSuffix, StringComparison.OrdinalIgnoreCase);

    public static SceneConfig For(string path, SceneAxes? requested)
    {
        if (IsConfig(path))
        {
            var stage = Read(path);
            var asset = String(stage, "render_asset", path)
                ?? throw new SceneFormatException($"{path}: the stage config has no 'render_asset'");
            var mesh = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, asset));
            if (!File.Exists(mesh)) throw new SceneFormatException($"{path}: its render_asset '{asset}' does not exist ({mesh})");
            return new SceneConfig(mesh, Oriented(SceneAxes.DefaultFor(mesh), stage, path, requested), path);
        }
        var sibling = Path.Combine(Path.GetDirectoryName(path)!, StemOf(path) + StageSuffix);
        if (File.Exists(sibling)) return new SceneConfig(path, Oriented(SceneAxes.DefaultFor(path), Read(sibling), sibling, requested), sibling);
        if (FindDataset(path) is { } dataset &&
            Read(dataset).TryGetProperty("stages", out var stages) && stages.ValueKind == JsonValueKind.Object &&
            stages.TryGetProperty("default_attributes", out var defaults) && defaults.ValueKind == JsonValueKind.Object)
            return new SceneConfig(path, Oriented(SceneAxes.DefaultFor(path), defaults, dataset, requested), dataset);
        return new SceneConfig(path, requested ?? SceneAxes.DefaultFor(path), null);
    }

    private static SceneAxes Oriented(SceneAxes fallback, JsonElement attributes, string file, SceneAxes? requested)
    {
        var scale = Vector(attributes, "scale", file) ?? fallback.Scale;
        if (requested != null) return requested with { Scale = scale };
        return new SceneAxes(Vector(attributes, "up", file) ?? fallback.Up, Vector(attributes, "front", file) ?? fallback.Front, scale);
    }

    private static string StemOf(string path)
    {
        var name = Path.GetFileName(path);
        // Habitat names HM3D meshes 'x.basis.glb'; its config is 'x.basis.stage_config.json' or 'x.stage_config.json'.
        var dot = name.IndexOf('.');
        return dot > 0 ? name[..dot] : name;
    }

    private static string? FindDataset(string meshPath)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(meshPath));
        for (var depth = 0; dir != null && depth < DatasetSearchDepth; depth++, dir = Path.GetDirectoryName(dir))
        {
            var found = Directory.EnumerateFiles(dir, "*" + DatasetSuffix).Order(StringComparer.Ordinal).ToList();
            if (found.Count > 1) throw new SceneFormatException($"{dir} holds {found.Count} scene dataset configs; load a *{StageSuffix} or pass --up");
            if (found.Count == 1) return found[0];
        }
        return null;
    }

    private static JsonElement Read(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.Clone()
                : throw new SceneFormatException($"{path}: a habitat config must be a JSON object");
        }
        catch (JsonException e)
        {
            throw new SceneFormatException($"{path}: not valid JSON (line {e.LineNumber + 1}: {e.Message.Split('.')[0]})");
        }
    }

    private static string? String(JsonElement o, string name, string file) =>
        !o.TryGetProperty(name, out var v) ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString()
        : throw new SceneFormatException($"{file}: '{name}' must be a string");

    private static Vector3? Vector(JsonElement o, string name, string file)
    {
        if (!o.TryGetProperty(name, out var v)) return null;
        if (v.ValueKind != JsonValueKind.Array || v.GetArrayLength() != 3 || v.EnumerateArray().Any(x => x.ValueKind != JsonValueKind.Number))
            throw new SceneFormatException($"{file}: '{name}' must be three numbers, like [0, 0, 1]");
        var x = v.EnumerateArray().Select(e => e.GetSingle()).ToArray();
        var vector = new Vector3(x[0], x[1], x[2]);
        if (vector == Vector3.Zero || !float.IsFinite(vector.Length())) throw new SceneFormatException($"{file}: '{name}' {vector} is zero or not finite");
        return vector;
    }
}

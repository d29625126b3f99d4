using System.Buffers.Binary;
using System.Text.Json;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Scenes;

/// <summary>
/// Checks a glTF's JSON before the glTF library reads it, for the mistakes whose library messages
/// say nothing useful: a buffer or image file that is not there ("FileNotFoundException") and an
/// accessor larger than its buffer view (an int overflow: "length: -589934592"). Anything this does
/// not understand is left for the library to report.
/// </summary>
internal static class GltfPreflight
{
    public static void Check(string path)
    {
        var json = JsonOf(path);
        if (json == null) return;
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(json);
            root = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return;
        }
        if (root.ValueKind != JsonValueKind.Object) return;
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        foreach (var (kind, item) in Items(root, "buffers").Select(b => ("buffer", b)).Concat(Items(root, "images").Select(i => ("image", i))))
        {
            if (!item.TryGetProperty("uri", out var u) || u.ValueKind != JsonValueKind.String) continue;
            var uri = u.GetString()!;
            if (uri.StartsWith("data:", StringComparison.Ordinal)) continue;
            var file = Path.Combine(dir, Uri.UnescapeDataString(uri));
            if (!File.Exists(file)) throw new SceneFormatException($"its {kind} file '{uri}' is missing (looked for {file})");
        }
        var views = Items(root, "bufferViews").ToList();
        var index = 0;
        foreach (var accessor in Items(root, "accessors"))
        {
            CheckAccessor(accessor, index++, views);
        }
    }

    private static void CheckAccessor(JsonElement a, int index, List<JsonElement> views)
    {
        if (!Long(a, "count", out var count) || !Long(a, "bufferView", out var view) || view < 0 || view >= views.Count) return;
        if (!Long(a, "componentType", out var component) || !a.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String) return;
        long componentBytes = component switch { 5120 or 5121 => 1, 5122 or 5123 => 2, _ => 4 };
        long components = type.GetString() switch { "SCALAR" => 1, "VEC2" => 2, "VEC3" => 3, "VEC4" or "MAT2" => 4, "MAT3" => 9, "MAT4" => 16, _ => 0 };
        if (components == 0 || !Long(views[(int)view], "byteLength", out var available)) return;
        var element = componentBytes * components;
        var stride = Long(views[(int)view], "byteStride", out var s) && s > 0 ? s : element;
        var offset = Long(a, "byteOffset", out var o) ? o : 0;
        var needed = count <= 0 ? 0 : offset + (count - 1) * stride + element;
        if (count > int.MaxValue || needed > available)
            throw new SceneFormatException($"accessor {index} claims {count} elements ({needed} bytes from offset {offset}) but its buffer view {view} holds {available} bytes");
    }

    private static IEnumerable<JsonElement> Items(JsonElement root, string name) =>
        root.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object) : [];

    private static bool Long(JsonElement o, string name, out long value)
    {
        value = 0;
        return o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out value);
    }

    /// <summary>The JSON of a .gltf, or the JSON chunk of a .glb; null when it is not there to read.</summary>
    private static byte[]? JsonOf(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (!bytes.AsSpan().StartsWith("glTF"u8)) return bytes;
        if (bytes.Length < 20) return null;
        var length = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12));
        var chunkType = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(16));
        return chunkType == 0x4E4F534A && length <= bytes.Length - 20 ? bytes.AsSpan(20, (int)length).ToArray() : null;
    }
}

using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Scenes;

/// <summary>
/// Stanford PLY (ASCII, binary little- and big-endian) as Replica ships it: vertices with x, y, z and
/// optional red/green/blue, faces as vertex-index lists (quads and polygons are fanned), any other
/// elements and properties skipped. Coordinates are used as they are (metres, y up).
/// Every count is checked against the bytes left before anything is allocated, so a garbled header
/// fails fast instead of exhausting memory.
/// </summary>
public static class PlyReader
{
    private const int MaxHeaderBytes = 64 * 1024;

    public static SceneMesh Read(string path) => Read(File.ReadAllBytes(path));

    public static SceneMesh Read(byte[] data)
    {
        var (format, elements, bodyStart) = ParseHeader(data);
        var body = format == "ascii" ? (IPlyBody)new AsciiBody(data, bodyStart) : new BinaryBody(data, bodyStart, format == "binary_big_endian");
        Vector3[]? positions = null;
        Vector3[]? colors = null;
        var indices = new List<int>();
        foreach (var element in elements)
        {
            if (element.Count > body.Remaining / Math.Max(1, element.MinBytes(body.IsAscii)))
                throw new SceneFormatException($"PLY element '{element.Name}' claims {element.Count} entries, more than the file holds");
            if (element.Name == "vertex") (positions, colors) = ReadVertices(body, element);
            else if (element.Name == "face") ReadFaces(body, element, indices);
            else SkipElement(body, element);
        }
        if (positions == null) throw new SceneFormatException("PLY has no 'vertex' element");
        return new SceneMesh(positions, colors!, null, [.. indices], null, [new Material(Vector3.One, null)]);
    }

    private static (string Format, List<PlyElement> Elements, int BodyStart) ParseHeader(byte[] data)
    {
        var marker = "end_header"u8;
        var headerLength = data.AsSpan(0, Math.Min(data.Length, MaxHeaderBytes)).IndexOf(marker);
        if (data.Length < 4 || !data.AsSpan().StartsWith("ply"u8)) throw new SceneFormatException("not a PLY file: it does not start with 'ply'");
        if (headerLength < 0) throw new SceneFormatException($"PLY header has no 'end_header' in its first {MaxHeaderBytes} bytes");
        var bodyStart = headerLength + marker.Length;
        if (bodyStart < data.Length && data[bodyStart] == '\r') bodyStart++;
        if (bodyStart < data.Length && data[bodyStart] == '\n') bodyStart++;
        string? format = null;
        var elements = new List<PlyElement>();
        var lines = Encoding.ASCII.GetString(data, 0, headerLength).Split('\n');
        foreach (var raw in lines.Skip(1))
        {
            var words = raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0 || words[0] is "comment" or "obj_info") continue;
            switch (words[0])
            {
                case "format" when words.Length >= 2 && words[1] is "ascii" or "binary_little_endian" or "binary_big_endian":
                    format = words[1];
                    break;
                case "element" when words.Length == 3 && int.TryParse(words[2], NumberStyles.None, CultureInfo.InvariantCulture, out var count):
                    elements.Add(new PlyElement(words[1], count, []));
                    break;
                case "property" when elements.Count > 0 && words.Length == 3 && PlyType.TryParse(words[1], out var type):
                    elements[^1].Properties.Add(new PlyProperty(words[2], type, null));
                    break;
                case "property" when elements.Count > 0 && words.Length == 5 && words[1] == "list" &&
                                     PlyType.TryParse(words[2], out var countType) && PlyType.TryParse(words[3], out var itemType):
                    elements[^1].Properties.Add(new PlyProperty(words[4], itemType, countType));
                    break;
                default:
                    throw new SceneFormatException("PLY header has a line that is not ply/format/comment/element/property/end_header"); // never the line itself: errors go to remote clients
            }
        }
        return (format ?? throw new SceneFormatException("PLY header has no 'format' line"), elements, bodyStart);
    }

    private static (Vector3[], Vector3[]) ReadVertices(IPlyBody body, PlyElement element)
    {
        int Find(string name) => element.Properties.FindIndex(p => p.Name == name && p.CountType == null);
        int x = Find("x"), y = Find("y"), z = Find("z"), r = Find("red"), g = Find("green"), b = Find("blue");
        if (x < 0 || y < 0 || z < 0) throw new SceneFormatException("PLY vertex element lacks x, y or z");
        var hasColor = r >= 0 && g >= 0 && b >= 0;
        var colorScale = hasColor && element.Properties[r].Type.IsInteger ? 1 / 255f : 1f;
        var positions = new Vector3[element.Count];
        var colors = new Vector3[element.Count];
        var values = new double[element.Properties.Count];
        for (var i = 0; i < element.Count; i++)
        {
            for (var p = 0; p < values.Length; p++)
            {
                var prop = element.Properties[p];
                if (prop.CountType is { } ct) SkipList(body, ct, prop.Type);
                else values[p] = body.Read(prop.Type);
            }
            positions[i] = new Vector3((float)values[x], (float)values[y], (float)values[z]);
            colors[i] = hasColor ? new Vector3((float)values[r], (float)values[g], (float)values[b]) * colorScale : Vector3.One;
        }
        return (positions, colors);
    }

    private static void ReadFaces(IPlyBody body, PlyElement element, List<int> indices)
    {
        var list = element.Properties.FindIndex(p => p.CountType != null && p.Name is "vertex_indices" or "vertex_index");
        if (list < 0) throw new SceneFormatException("PLY face element lacks a 'vertex_indices' list");
        Span<int> polygon = stackalloc int[256];
        for (var i = 0; i < element.Count; i++)
        for (var p = 0; p < element.Properties.Count; p++)
        {
            var prop = element.Properties[p];
            if (p != list)
            {
                if (prop.CountType is { } ct) SkipList(body, ct, prop.Type);
                else body.Read(prop.Type);
                continue;
            }
            var n = ReadCount(body, prop.CountType!.Value);
            if (n > polygon.Length) throw new SceneFormatException($"PLY face {i} has {n} vertices; at most {polygon.Length} are supported");
            for (var k = 0; k < n; k++) polygon[k] = (int)body.Read(prop.Type);
            for (var k = 1; k + 1 < n; k++) indices.AddRange([polygon[0], polygon[k], polygon[k + 1]]);
        }
    }

    private static void SkipElement(IPlyBody body, PlyElement element)
    {
        for (var i = 0; i < element.Count; i++)
        foreach (var prop in element.Properties)
        {
            if (prop.CountType is { } ct) SkipList(body, ct, prop.Type);
            else body.Read(prop.Type);
        }
    }

    private static void SkipList(IPlyBody body, PlyType countType, PlyType itemType)
    {
        var n = ReadCount(body, countType);
        for (var k = 0; k < n; k++) body.Read(itemType);
    }

    private static int ReadCount(IPlyBody body, PlyType type)
    {
        var n = body.Read(type);
        if (n < 0 || n > body.Remaining || n != Math.Floor(n)) throw new SceneFormatException($"PLY list length {n} is invalid or runs past the end of the file");
        return (int)n;
    }

    private sealed record PlyElement(string Name, int Count, List<PlyProperty> Properties)
    {
        public int MinBytes(bool ascii) => Properties.Sum(p => ascii ? 2 : p.CountType?.Size ?? p.Type.Size);
    }

    private sealed record PlyProperty(string Name, PlyType Type, PlyType? CountType);

    private readonly record struct PlyType(string Name, int Size, bool IsInteger)
    {
        private static readonly PlyType[] Known =
        [
            new("char", 1, true), new("uchar", 1, true), new("short", 2, true), new("ushort", 2, true),
            new("int", 4, true), new("uint", 4, true), new("float", 4, false), new("double", 8, false),
        ];

        public static bool TryParse(string word, out PlyType type)
        {
            var name = word switch
            {
                "int8" => "char", "uint8" => "uchar", "int16" => "short", "uint16" => "ushort",
                "int32" => "int", "uint32" => "uint", "float32" => "float", "float64" => "double", _ => word,
            };
            type = Array.Find(Known, t => t.Name == name);
            return type.Name != null;
        }
    }

    private interface IPlyBody
    {
        bool IsAscii { get; }
        long Remaining { get; }
        double Read(PlyType type);
    }

    private sealed class BinaryBody(byte[] data, int position, bool bigEndian) : IPlyBody
    {
        public bool IsAscii => false;
        public long Remaining => data.Length - position;

        public double Read(PlyType type)
        {
            if (Remaining < type.Size) throw new SceneFormatException("PLY body ends early: the file is truncated");
            var s = data.AsSpan(position, type.Size);
            position += type.Size;
            return type.Name switch
            {
                "char" => (sbyte)s[0],
                "uchar" => s[0],
                "short" => bigEndian ? BinaryPrimitives.ReadInt16BigEndian(s) : BinaryPrimitives.ReadInt16LittleEndian(s),
                "ushort" => bigEndian ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s),
                "int" => bigEndian ? BinaryPrimitives.ReadInt32BigEndian(s) : BinaryPrimitives.ReadInt32LittleEndian(s),
                "uint" => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s),
                "float" => bigEndian ? BinaryPrimitives.ReadSingleBigEndian(s) : BinaryPrimitives.ReadSingleLittleEndian(s),
                _ => bigEndian ? BinaryPrimitives.ReadDoubleBigEndian(s) : BinaryPrimitives.ReadDoubleLittleEndian(s),
            };
        }
    }

    private sealed class AsciiBody(byte[] data, int position) : IPlyBody
    {
        public bool IsAscii => true;
        public long Remaining => data.Length - position;

        public double Read(PlyType type)
        {
            while (position < data.Length && char.IsWhiteSpace((char)data[position])) position++;
            var start = position;
            while (position < data.Length && !char.IsWhiteSpace((char)data[position])) position++;
            if (start == position) throw new SceneFormatException("PLY body ends early: the file is truncated");
            var token = data.AsSpan(start, position - start);
            if (!double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                throw new SceneFormatException($"PLY body has a value that is not a number at byte {start}");
            return value;
        }
    }
}

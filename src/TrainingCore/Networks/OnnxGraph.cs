using System.Text;

namespace DistDepth.TrainingCore.Networks;

/// <summary>One ONNX node: operator, tensor names in and out, and its integer-list attributes (kernel_shape, strides, pads).</summary>
public sealed record OnnxNode(string OpType, string Name, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs,
    IReadOnlyDictionary<string, long[]> IntAttributes);

/// <summary>A float32 initializer (weights), row-major.</summary>
public sealed record OnnxTensor(string Name, long[] Dims, float[] Values);

/// <summary>
/// The parts of an ONNX model a weight import needs: nodes in graph order and float initializers.
/// Reads the protobuf wire format directly for the few fields of onnx/onnx.proto it uses
/// (ModelProto.graph = 7; GraphProto.node = 1, initializer = 5, input = 11; NodeProto input = 1,
/// output = 2, name = 3, op_type = 4, attribute = 5; AttributeProto name = 1, i = 3, ints = 8;
/// TensorProto dims = 1, data_type = 2, float_data = 4, name = 8, raw_data = 9) and skips the rest.
/// </summary>
public sealed class OnnxGraph
{
    const int FloatType = 1;

    public IReadOnlyList<OnnxNode> Nodes { get; }
    public IReadOnlyDictionary<string, OnnxTensor> Initializers { get; }

    OnnxGraph(List<OnnxNode> nodes, Dictionary<string, OnnxTensor> initializers)
    {
        Nodes = nodes;
        Initializers = initializers;
    }

    public static OnnxGraph Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: not found");
        try
        {
            var model = new Wire(File.ReadAllBytes(path));
            var nodes = new List<OnnxNode>();
            var initializers = new Dictionary<string, OnnxTensor>();
            bool sawGraph = false;
            while (model.Next(out int field, out var value))
            {
                if (field != 7) continue;
                sawGraph = true;
                var graph = new Wire(value);
                while (graph.Next(out int g, out var item))
                {
                    if (g == 1) nodes.Add(ReadNode(item));
                    else if (g == 5 && ReadTensor(item) is { } t) initializers[t.Name] = t;
                }
            }
            if (!sawGraph) throw new InvalidDataException("no graph");
            return new OnnxGraph(nodes, initializers);
        }
        catch (Exception e) when (e is InvalidDataException or IndexOutOfRangeException or ArgumentException or OverflowException)
        {
            throw new InvalidDataException($"{path}: not a readable ONNX model ({e.Message})");
        }
    }

    /// <summary>The node that writes <paramref name="tensor"/>, or null for a graph input or initializer.</summary>
    public OnnxNode? Producer(string tensor) => Nodes.FirstOrDefault(n => n.Outputs.Contains(tensor));

    public OnnxTensor Initializer(string name) =>
        Initializers.TryGetValue(name, out var t) ? t : throw new InvalidDataException($"initializer '{name}' is missing or not float32");

    static OnnxNode ReadNode(ReadOnlyMemory<byte> bytes)
    {
        var wire = new Wire(bytes);
        var inputs = new List<string>();
        var outputs = new List<string>();
        var attributes = new Dictionary<string, long[]>();
        string name = "", op = "";
        while (wire.Next(out int field, out var value))
        {
            switch (field)
            {
                case 1: inputs.Add(Text(value)); break;
                case 2: outputs.Add(Text(value)); break;
                case 3: name = Text(value); break;
                case 4: op = Text(value); break;
                case 5:
                    var (key, ints) = ReadIntAttribute(value);
                    if (ints is not null) attributes[key] = ints;
                    break;
            }
        }
        return new OnnxNode(op, name, inputs, outputs, attributes);
    }

    static (string Name, long[]? Ints) ReadIntAttribute(ReadOnlyMemory<byte> bytes)
    {
        var wire = new Wire(bytes);
        string name = "";
        var ints = new List<long>();
        bool any = false;
        while (wire.Next(out int field, out var value, out ulong scalar))
        {
            if (field == 1) name = Text(value);
            else if (field == 3) { ints.Add((long)scalar); any = true; }
            else if (field == 8)
            {
                any = true;
                if (!wire.Delimited) ints.Add((long)scalar);
                else for (var packed = new Wire(value); packed.HasMore;) ints.Add((long)packed.Varint());
            }
        }
        return (name, any ? ints.ToArray() : null);
    }

    static OnnxTensor? ReadTensor(ReadOnlyMemory<byte> bytes)
    {
        var wire = new Wire(bytes);
        var dims = new List<long>();
        var floats = new List<float>();
        ReadOnlyMemory<byte> raw = default;
        int type = 0;
        string name = "";
        while (wire.Next(out int field, out var value, out ulong scalar))
        {
            switch (field)
            {
                case 1:
                    if (!wire.Delimited) dims.Add((long)scalar);
                    else for (var packed = new Wire(value); packed.HasMore;) dims.Add((long)packed.Varint());
                    break;
                case 2: type = (int)scalar; break;
                case 4:
                    if (!wire.Delimited) floats.Add(BitConverter.Int32BitsToSingle((int)scalar));
                    else for (int i = 0; i + 4 <= value.Length; i += 4) floats.Add(BitConverter.ToSingle(value.Span[i..]));
                    break;
                case 8: name = Text(value); break;
                case 9: raw = value; break;
            }
        }
        if (type != FloatType) return null;
        var values = raw.Length == 0 ? floats.ToArray() : System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(raw.Span).ToArray();
        long expected = dims.Aggregate(1L, (a, d) => a * d);
        if (values.Length != expected) throw new InvalidDataException($"initializer '{name}' has {values.Length} values for dims [{string.Join(",", dims)}]");
        return new OnnxTensor(name, dims.ToArray(), values);
    }

    static string Text(ReadOnlyMemory<byte> value) => Encoding.UTF8.GetString(value.Span);

    /// <summary>Protobuf wire-format fields: varints, 32/64-bit fixed and length-delimited.</summary>
    struct Wire(ReadOnlyMemory<byte> bytes)
    {
        int position;

        /// <summary>Whether the last field read was length-delimited (a packed list arrives that way, even an empty one).</summary>
        public bool Delimited { get; private set; }

        public readonly bool HasMore => position < bytes.Length;

        public bool Next(out int field, out ReadOnlyMemory<byte> value) => Next(out field, out value, out _);

        /// <param name="value">The bytes of a length-delimited field, empty otherwise.</param>
        /// <param name="scalar">A varint's value, or a fixed field's bits.</param>
        public bool Next(out int field, out ReadOnlyMemory<byte> value, out ulong scalar)
        {
            value = default;
            scalar = 0;
            field = 0;
            Delimited = false;
            if (!HasMore) return false;
            ulong key = Varint();
            field = (int)(key >> 3);
            switch ((int)(key & 7))
            {
                case 0: scalar = Varint(); break;
                case 1: scalar = BitConverter.ToUInt64(Take(8).Span); break;
                case 2: value = Take(checked((int)Varint())); Delimited = true; break;
                case 5: scalar = BitConverter.ToUInt32(Take(4).Span); break;
                default: throw new InvalidDataException($"unsupported protobuf wire type {key & 7} at byte {position}");
            }
            return true;
        }

        public ulong Varint()
        {
            ulong result = 0;
            for (int shift = 0; shift < 64; shift += 7)
            {
                byte b = bytes.Span[position++];
                result |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80) return result;
            }
            throw new InvalidDataException("malformed varint");
        }

        ReadOnlyMemory<byte> Take(int count)
        {
            if (count < 0 || position + count > bytes.Length) throw new InvalidDataException($"field runs past the end at byte {position}");
            var slice = bytes.Slice(position, count);
            position += count;
            return slice;
        }
    }
}

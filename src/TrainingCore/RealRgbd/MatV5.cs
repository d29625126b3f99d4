using System.Buffers.Binary;
using System.IO.Compression;

namespace DistDepth.TrainingCore.RealRgbd;

/// <summary>
/// Numeric variables of a MATLAB level-5 MAT-file (the format of NYUv2's splits.mat), after
/// MathWorks' "MAT-File Format" document: a 128-byte header, then data elements (tag: type, byte
/// count; "small" elements pack both in 4 bytes), each padded to 8 bytes; miCOMPRESSED (15) holds one
/// zlib-compressed element; a miMATRIX (14) holds array flags, dimensions, name and the real part
/// in any numeric storage type (MATLAB stores integer-valued doubles in the smallest type that fits).
/// </summary>
public static class MatV5
{
    const int MiInt8 = 1, MiUInt8 = 2, MiInt16 = 3, MiUInt16 = 4, MiInt32 = 5, MiUInt32 = 6, MiSingle = 7, MiDouble = 9,
        MiInt64 = 12, MiUInt64 = 13, MiMatrix = 14, MiCompressed = 15;

    /// <summary>Every numeric variable, by name, its values in MATLAB's (column-major) order.</summary>
    public static Dictionary<string, double[]> ReadNumeric(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: not found");
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 128 || bytes[126] != (byte)'I' || bytes[127] != (byte)'M')
            throw new InvalidDataException($"{path}: not a little-endian MATLAB 5 MAT-file (a v7.3 file is HDF5: save it with -v7 or read it as HDF5)");
        var variables = new Dictionary<string, double[]>();
        try
        {
            ReadElements(bytes.AsMemory(128), variables);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or InvalidDataException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"{path}: malformed MAT-file ({e.Message})");
        }
        return variables;
    }

    static void ReadElements(ReadOnlyMemory<byte> data, Dictionary<string, double[]> into)
    {
        while (data.Length >= 8)
        {
            var (type, body, rest) = Element(data);
            if (type == MiCompressed)
            {
                using var inflated = new MemoryStream();
                using (var z = new ZLibStream(new MemoryStream(body.ToArray()), CompressionMode.Decompress)) z.CopyTo(inflated);
                ReadElements(inflated.ToArray(), into);
            }
            else if (type == MiMatrix) ReadMatrix(body, into);
            data = rest;
        }
    }

    static void ReadMatrix(ReadOnlyMemory<byte> body, Dictionary<string, double[]> into)
    {
        var (_, flags, afterFlags) = Element(body);
        int matlabClass = flags.Span[0];
        // mxDOUBLE_CLASS (6) .. mxUINT64_CLASS (15) are numeric; cells, structs, chars and sparse are not needed here.
        if (matlabClass < 6 || matlabClass > 15) return;
        var (_, _, afterDims) = Element(afterFlags);
        var (_, name, afterName) = Element(afterDims);
        var (type, real, _) = Element(afterName);
        into[System.Text.Encoding.ASCII.GetString(name.Span)] = Values(type, real.Span);
    }

    static double[] Values(int type, ReadOnlySpan<byte> b) => type switch
    {
        MiDouble => Read(b, 8, s => BinaryPrimitives.ReadDoubleLittleEndian(s)),
        MiSingle => Read(b, 4, s => BinaryPrimitives.ReadSingleLittleEndian(s)),
        MiInt8 => Read(b, 1, s => (sbyte)s[0]),
        MiUInt8 => Read(b, 1, s => s[0]),
        MiInt16 => Read(b, 2, s => BinaryPrimitives.ReadInt16LittleEndian(s)),
        MiUInt16 => Read(b, 2, s => BinaryPrimitives.ReadUInt16LittleEndian(s)),
        MiInt32 => Read(b, 4, s => BinaryPrimitives.ReadInt32LittleEndian(s)),
        MiUInt32 => Read(b, 4, s => BinaryPrimitives.ReadUInt32LittleEndian(s)),
        MiInt64 => Read(b, 8, s => BinaryPrimitives.ReadInt64LittleEndian(s)),
        MiUInt64 => Read(b, 8, s => BinaryPrimitives.ReadUInt64LittleEndian(s)),
        _ => throw new InvalidDataException($"unsupported numeric storage type {type}"),
    };

    delegate double Reader(ReadOnlySpan<byte> s);

    static double[] Read(ReadOnlySpan<byte> b, int size, Reader read)
    {
        var values = new double[b.Length / size];
        for (int i = 0; i < values.Length; i++) values[i] = read(b.Slice(i * size, size));
        return values;
    }

    /// <returns>The element's type, its bytes, and what follows it (past the 8-byte padding).</returns>
    static (int Type, ReadOnlyMemory<byte> Body, ReadOnlyMemory<byte> Next) Element(ReadOnlyMemory<byte> data)
    {
        uint first = BinaryPrimitives.ReadUInt32LittleEndian(data.Span);
        if (first >> 16 != 0)
        {
            int smallBytes = (int)(first >> 16);
            if (smallBytes > 4) throw new InvalidDataException($"small element of {smallBytes} bytes");
            return ((int)(first & 0xffff), data.Slice(4, smallBytes), data[8..]);
        }
        int bytes = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(data.Span[4..]));
        int padded = (int)first == MiCompressed ? bytes : (bytes + 7) / 8 * 8;
        return ((int)first, data.Slice(8, bytes), data[Math.Min(data.Length, 8 + padded)..]);
    }
}

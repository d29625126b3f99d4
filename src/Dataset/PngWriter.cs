using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace DistDepth.Dataset;

/// <summary>
/// Standard PNG (non-interlaced, one IDAT) for the dataset's two image kinds, 8-bit RGB and 16-bit grey, with
/// one fixed, vectorised filter per kind: ~5x the speed per core of OpenCV's imencode at zlib level 1 with
/// libpng's adaptive filters, at 0.92x its size on simgen's frames (bench/RESULTS.md, issue 17).
/// Callers go through <see cref="ImageCodec"/>, which checks the sizes.
/// </summary>
static class PngWriter
{
    /// <summary>How a kind is filtered and compressed, chosen on simgen's images (SimBridge.Bench codec).</summary>
    sealed record Kind(byte BitDepth, byte ColourType, int BytesPerPixel, PngFilter Filter, Func<Stream, Stream> Compressor);

    // Noisy RGB has no repeats worth matching: Huffman coding of the Up residuals alone is smaller than
    // libpng's level-1 LZ77 output (0.92x) and ~6x faster; Up is the cheapest filter to undo.
    static readonly Kind Rgb = new(8, 2, 3, PngFilter.Up, output => new HuffmanZlibStream(output));
    // Depth is smooth with long repeats: Paeth then LZ77 (zlib-ng's level 2) is smaller than OpenCV's output.
    static readonly Kind Grey16 = new(16, 0, 2, PngFilter.Paeth,
        output => new ZLibStream(output, new ZLibCompressionOptions { CompressionLevel = 2 }, leaveOpen: true));

    static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    const int BandBytes = 64 * 1024; // filtered rows handed to the compressor at a time (one Huffman block): stays in L2

    public static byte[] Rgb8(ReadOnlySpan<byte> rgb, int width, int height) =>
        Write(rgb, width, height, Rgb);

    public static byte[] Gray16(ReadOnlySpan<ushort> values, int width, int height) =>
        Write(MemoryMarshal.AsBytes(values), width, height, Grey16);

    static byte[] Write(ReadOnlySpan<byte> pixels, int width, int height, Kind kind)
    {
        int stride = width * kind.BytesPerPixel;
        bool swap16 = kind.BitDepth == 16; // PNG samples are big-endian
        var output = new MemoryStream(pixels.Length / 2 + 1024);
        output.Write(Signature);
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = kind.BitDepth;
        ihdr[9] = kind.ColourType; // compression, filter method and interlace stay 0
        WriteChunk(output, "IHDR"u8, ihdr);

        long idatStart = output.Position;
        output.Write(stackalloc byte[8]); // length and type, filled in below
        int rowsPerBand = Math.Max(1, BandBytes / (stride + 1));
        var band = ArrayPool<byte>.Shared.Rent(rowsPerBand * (stride + 1));
        var rows = ArrayPool<byte>.Shared.Rent(2 * stride); // big-endian copies of the current and previous row
        try
        {
            using (var zlib = kind.Compressor(output))
            {
                for (int y0 = 0; y0 < height; y0 += rowsPerBand)
                {
                    int count = Math.Min(rowsPerBand, height - y0);
                    for (int r = 0; r < count; r++)
                    {
                        int y = y0 + r;
                        ReadOnlySpan<byte> row = pixels.Slice(y * stride, stride), previous = y == 0 ? default : pixels.Slice((y - 1) * stride, stride);
                        if (swap16)
                        {
                            var current = rows.AsSpan((y & 1) * stride, stride);
                            BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ushort>(row), MemoryMarshal.Cast<byte, ushort>(current));
                            row = current;
                            if (y > 0) previous = rows.AsSpan(((y - 1) & 1) * stride, stride);
                        }
                        var target = band.AsSpan(r * (stride + 1), stride + 1);
                        target[0] = (byte)kind.Filter;
                        PngFilters.Encode(kind.Filter, row, previous, target[1..], kind.BytesPerPixel);
                    }
                    zlib.Write(band, 0, count * (stride + 1));
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(band);
            ArrayPool<byte>.Shared.Return(rows);
        }

        var buffer = output.GetBuffer();
        int idatLength = (int)(output.Position - idatStart - 8);
        BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan((int)idatStart), idatLength);
        "IDAT"u8.CopyTo(buffer.AsSpan((int)idatStart + 4));
        Span<byte> crc = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32.HashToUInt32(buffer.AsSpan((int)idatStart + 4, idatLength + 4)));
        output.Write(crc);
        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    static void WriteChunk(MemoryStream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        var crc = new Crc32();
        crc.Append(type);
        crc.Append(data);
        output.Write(type);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, crc.GetCurrentHashAsUInt32());
        output.Write(word);
    }
}

using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace DistDepth.Dataset;

/// <summary>
/// Decodes the dataset's two PNG kinds, 8-bit RGB and 16-bit grey (non-interlaced, any filters, any
/// writer), straight into the caller's pixel layout: zlib-ng's inflate and no BGR round trip. Other PNGs
/// (palette, alpha, grey 8-bit, interlaced) are left to OpenCV (<see cref="ImageCodec"/>). The IHDR is
/// read and checked before anything is inflated, and the output is never larger than it declares.
/// </summary>
static class PngReader
{
    static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The IHDR's size and format; false when <paramref name="png"/> does not start like a PNG.</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> png, out int width, out int height, out byte bitDepth, out byte colourType, out bool interlaced)
    {
        width = height = 0;
        bitDepth = colourType = 0;
        interlaced = false;
        if (png.Length < 33 || !png[..8].SequenceEqual(Signature) || BinaryPrimitives.ReadInt32BigEndian(png[8..]) != 13 || !png.Slice(12, 4).SequenceEqual("IHDR"u8))
            return false;
        var ihdr = png.Slice(16, 13);
        width = BinaryPrimitives.ReadInt32BigEndian(ihdr);
        height = BinaryPrimitives.ReadInt32BigEndian(ihdr[4..]);
        (bitDepth, colourType, interlaced) = (ihdr[8], ihdr[9], ihdr[12] != 0);
        return true;
    }

    /// <summary>Null when the PNG is not 8-bit RGB without interlacing (OpenCV decodes those).</summary>
    public static RgbImage? TryReadRgb8(byte[] png)
    {
        if (!TryReadHeader(png, out int w, out int h, out byte depth, out byte colour, out bool interlaced) || depth != 8 || colour != 2 || interlaced)
            return null;
        var pixels = GC.AllocateUninitializedArray<byte>(PixelCount(w, h, 3) * 3);
        Inflate(png, pixels, w * 3, h, 3);
        return new RgbImage(w, h, pixels);
    }

    /// <summary>Null when the PNG is not 16-bit grey without interlacing (OpenCV decodes those).</summary>
    public static ushort[]? TryReadGray16(byte[] png, out int width, out int height)
    {
        if (!TryReadHeader(png, out width, out height, out byte depth, out byte colour, out bool interlaced) || depth != 16 || colour != 0 || interlaced)
            return null;
        var values = GC.AllocateUninitializedArray<ushort>(PixelCount(width, height, 2));
        Inflate(png, MemoryMarshal.AsBytes(values.AsSpan()), width * 2, height, 2);
        if (BitConverter.IsLittleEndian) BinaryPrimitives.ReverseEndianness(values, values); // PNG samples are big-endian
        return values;
    }

    static int PixelCount(int w, int h, int bytesPerPixel)
    {
        if (w <= 0 || h <= 0 || (long)w * h * bytesPerPixel > Array.MaxLength)
            throw new InvalidDataException($"PNG declares an impossible size {w}x{h}");
        return w * h;
    }

    /// <summary>Inflates the IDAT chunks' zlib stream a band of rows at a time and unfilters each row into
    /// <paramref name="pixels"/>.</summary>
    static void Inflate(byte[] png, Span<byte> pixels, int stride, int height, int bpp)
    {
        using var zlib = new ZLibStream(new IdatStream(png), CompressionMode.Decompress);
        int rowsPerBand = Math.Max(1, 64 * 1024 / (stride + 1));
        var band = ArrayPool<byte>.Shared.Rent(rowsPerBand * (stride + 1));
        try
        {
            for (int y0 = 0; y0 < height; y0 += rowsPerBand)
            {
                int count = Math.Min(rowsPerBand, height - y0), bytes = count * (stride + 1);
                if (zlib.ReadAtLeast(band.AsSpan(0, bytes), bytes, throwOnEndOfStream: false) < bytes)
                    throw new InvalidDataException("PNG image data ends early");
                for (int r = 0; r < count; r++)
                {
                    int y = y0 + r;
                    var filtered = band.AsSpan(r * (stride + 1), stride + 1);
                    PngFilters.Decode((PngFilter)filtered[0], filtered[1..], y == 0 ? default : pixels.Slice((y - 1) * stride, stride), pixels.Slice(y * stride, stride), bpp);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(band);
        }
    }

    /// <summary>The concatenated data of a PNG's IDAT chunks, each chunk's CRC checked as it is reached.</summary>
    sealed class IdatStream(byte[] png) : Stream
    {
        int next = 8, at, end; // next chunk's offset; the current IDAT's unread data [at, end)

        public override int Read(Span<byte> buffer)
        {
            while (at == end)
            {
                if (next + 12 > png.Length) throw new InvalidDataException("PNG is truncated (no IEND)");
                int length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(next));
                if (length < 0 || next + 12L + length > png.Length) throw new InvalidDataException("PNG chunk runs past the end of the file");
                var type = png.AsSpan(next + 4, 4);
                if (type.SequenceEqual("IEND"u8)) return 0;
                if (type.SequenceEqual("IDAT"u8) || type.SequenceEqual("IHDR"u8))
                {
                    uint crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(next + 8 + length));
                    if (Crc32.HashToUInt32(png.AsSpan(next + 4, length + 4)) != crc)
                        throw new InvalidDataException($"PNG {System.Text.Encoding.ASCII.GetString(type)} chunk fails its CRC");
                }
                if (type.SequenceEqual("IDAT"u8)) (at, end) = (next + 8, next + 8 + length);
                next += 12 + length;
            }
            int n = Math.Min(buffer.Length, end - at);
            png.AsSpan(at, n).CopyTo(buffer);
            at += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

using DistDepth.Dataset;

namespace DistDepth.Dataset.Tests;

// Guards the OpenCV native runtime (needs Debian's libgtk-3-0) and the lossless contract of our PNG columns.
public class ImageCodecTests
{
    [Fact]
    public void RgbPngRoundTripsLosslessly()
    {
        var rng = new Random(1);
        var pixels = new byte[37 * 23 * 3];
        rng.NextBytes(pixels);
        var decoded = ImageCodec.DecodeRgb(ImageCodec.EncodeRgb(new RgbImage(37, 23, pixels)));
        Assert.Equal((37, 23), (decoded.Width, decoded.Height));
        Assert.Equal(pixels, decoded.Pixels);
    }

    [Fact]
    public void SixteenBitDepthPngRoundTripsLosslessly()
    {
        var rng = new Random(2);
        var mm = Enumerable.Range(0, 41 * 19).Select(_ => (ushort)rng.Next(0, 65536)).ToArray();
        var decoded = ImageCodec.DecodeUInt16(ImageCodec.EncodeUInt16(mm, 41, 19), out int w, out int h);
        Assert.Equal((41, 19), (w, h));
        Assert.Equal(mm, decoded);
    }

    [Fact]
    public void DepthIsStoredInMillimetresWithInvalidAsZero()
    {
        var metres = new[] { 1.2344f, 0f, float.NaN, -1f, 70f, 0.0004f };
        var back = ImageCodec.DecodeUInt16(ImageCodec.EncodeDepth(new DepthMap(6, 1, metres)), out _, out _);
        Assert.Equal(new ushort[] { 1234, 0, 0, 0, 65535, 1 }, back);
    }

    [Fact]
    public void SkewedBytesWhoseHuffmanTreeIsDeeperThanDeflateAllowsRoundTrip()
    {
        // Byte k occurs fib(k) times: an optimal Huffman tree is 24 levels deep, so the encoder must limit
        // its codes to deflate's 15 bits. One row, so the Up filter leaves the bytes as they are.
        var counts = new List<int> { 1, 1 };
        while (counts.Count < 25) counts.Add(counts[^1] + counts[^2]);
        var bytes = counts.SelectMany((count, k) => Enumerable.Repeat((byte)k, count)).ToList();
        while (bytes.Count % 3 != 0) bytes.Add(0);
        var pixels = bytes.OrderBy(_ => Random.Shared.Next()).ToArray();
        var png = ImageCodec.EncodeRgb(new RgbImage(pixels.Length / 3, 1, pixels));

        Assert.True(png.Length < pixels.Length / 2, $"Huffman-coded, not stored: {png.Length} bytes for {pixels.Length}");
        Assert.Equal(pixels, ImageCodec.DecodeRgb(png).Pixels);
        using var bgr = OpenCvSharp.Cv2.ImDecode(png, OpenCvSharp.ImreadModes.Color); // libpng and zlib, which reject over-long codes
        using var rgb = new OpenCvSharp.Mat();
        OpenCvSharp.Cv2.CvtColor(bgr, rgb, OpenCvSharp.ColorConversionCodes.BGR2RGB);
        Assert.Equal(pixels, ImageCodec.ToRgbImage(rgb).Pixels);
    }

    [Fact]
    public void GarbageIsRejectedWithAClearError()
    {
        var e = Assert.Throws<InvalidDataException>(() => ImageCodec.DecodeRgb([1, 2, 3, 4]));
        Assert.Contains("does not decode", e.Message);
    }

    [Fact]
    public void ATruncatedOrCorruptedPngIsOneClearError()
    {
        var pixels = new byte[64 * 16 * 3];
        new Random(3).NextBytes(pixels);
        var png = ImageCodec.EncodeRgb(new RgbImage(64, 16, pixels));
        var truncated = Assert.Throws<InvalidDataException>(() => ImageCodec.DecodeRgb(png[..(png.Length / 2)]));
        Assert.Contains("runs past the end", truncated.Message);
        png[png.Length / 2] ^= 0x40;
        var corrupted = Assert.Throws<InvalidDataException>(() => ImageCodec.DecodeRgb(png));
        Assert.Contains("CRC", corrupted.Message);
    }
}

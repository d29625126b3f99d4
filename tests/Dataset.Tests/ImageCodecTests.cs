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
    public void GarbageIsRejectedWithAClearError()
    {
        var e = Assert.Throws<InvalidDataException>(() => ImageCodec.DecodeRgb([1, 2, 3, 4]));
        Assert.Contains("does not decode", e.Message);
    }
}

using DistDepth.SimBridge;

namespace DistDepth.SimBridge.Tests;

/// <summary>Issue 19: the per-sequence camera (exposure, white balance, vignetting, defocus).</summary>
public sealed class CameraModelTests
{
    const int W = 67, H = 41; // odd sizes: the SIMD gain pass has a scalar tail

    static byte[] Uniform(byte value) => Enumerable.Repeat(value, W * H * 3).ToArray();

    static byte[] Develop(CameraModel camera, byte[] image)
    {
        var output = new byte[image.Length];
        camera.Apply(image, output);
        return output;
    }

    [Fact]
    public void TheSameSequenceSeedGivesTheSameCameraAndAnotherSeedAnother()
    {
        var effects = new CameraEffects();
        var a = new CameraModel(effects, 12345, W, H);
        var b = new CameraModel(effects, 12345, W, H);
        var c = new CameraModel(effects, 999_999_999_999, W, H);
        var image = Enumerable.Range(0, W * H * 3).Select(i => (byte)(i * 7 % 251)).ToArray();
        Assert.Equal(Develop(a, image), Develop(b, image));
        Assert.Equal(a.Describe().ToJsonString(), b.Describe().ToJsonString());
        Assert.NotEqual(a.Exposure, c.Exposure);
        Assert.NotEqual(Develop(a, image), Develop(c, image));
    }

    [Fact]
    public void EveryPixelIsTheRenderedValueTimesExposureWhiteBalanceAndVignetting()
    {
        var camera = new CameraModel(new CameraEffects { DefocusMaxPx = 0 }, 77, W, H);
        var rng = new Random(3);
        var image = Enumerable.Range(0, W * H * 3).Select(_ => (byte)rng.Next(256)).ToArray();
        var output = Develop(camera, image);
        float cx = (W - 1) / 2f, cy = (H - 1) / 2f;
        float[] channel = [camera.WhiteBalance.R, camera.WhiteBalance.G, camera.WhiteBalance.B];
        for (var y = 0; y < H; y++)
        for (var x = 0; x < W; x++)
        for (var c = 0; c < 3; c++)
        {
            var i = (y * W + x) * 3 + c;
            var vignette = 1 - camera.Vignetting * ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (cx * cx + cy * cy);
            var expected = Math.Min(255f, image[i] * camera.Exposure * channel[c] * vignette);
            Assert.True(Math.Abs(output[i] - expected) <= 1f, $"pixel ({x},{y}) channel {c}: {output[i]} vs {expected:F2}");
        }
    }

    [Fact]
    public void VignettingDarkensTheCornersByItsDrawnStrength()
    {
        var effects = CameraEffects.None with { VignettingMax = 0.6f };
        var camera = Enumerable.Range(0, 20).Select(s => new CameraModel(effects, (ulong)s, W, H)).First(c => c.Vignetting > 0.3f);
        var output = Develop(camera, Uniform(200));
        var centre = output[(H / 2 * W + W / 2) * 3];
        var corner = output[0];
        Assert.InRange(centre, 199, 201);
        Assert.InRange(corner, 200 * (1 - camera.Vignetting) - 1, 200 * (1 - camera.Vignetting) + 1);
    }

    [Fact]
    public void DefocusSoftensAnEdgeAndKeepsFlatAreasFlat()
    {
        var effects = CameraEffects.None with { DefocusMaxPx = 8 };
        var camera = Enumerable.Range(0, 20).Select(s => new CameraModel(effects, (ulong)s, W, H)).First(c => c.DefocusPx > 0.5f);
        Assert.Equal(Uniform(90), Develop(camera, Uniform(90)));
        // A vertical edge: black left half, white right half.
        var edge = new byte[W * H * 3];
        for (var y = 0; y < H; y++)
        for (var x = W / 2; x < W; x++)
            edge[(y * W + x) * 3] = edge[(y * W + x) * 3 + 1] = edge[(y * W + x) * 3 + 2] = 255;
        var blurred = Develop(camera, edge);
        var row = H / 2 * W;
        Assert.InRange(blurred[(row + W / 2 - 1) * 3], 1, 254);
        Assert.InRange(blurred[(row + W / 2) * 3], 1, 254);
        Assert.Equal(0, blurred[row * 3]);
        Assert.Equal(255, blurred[(row + W - 1) * 3]);
    }

    [Fact]
    public void DefocusIsASeparableGaussianWithClampedEdges()
    {
        var effects = CameraEffects.None with { DefocusMaxPx = 8 };
        var camera = Enumerable.Range(0, 20).Select(s => new CameraModel(effects, (ulong)s, W, H)).First(c => c.DefocusPx > 0.7f);
        var rng = new Random(11);
        var image = Enumerable.Range(0, W * H * 3).Select(_ => (byte)rng.Next(256)).ToArray();
        var blurred = Develop(camera, image);
        // Reference: the same Gaussian in doubles, taps normalised, edges clamped, rows then columns.
        var sigma = camera.DefocusPx;
        var radius = (int)Math.Ceiling(2.5 * sigma);
        var taps = Enumerable.Range(-radius, 2 * radius + 1).Select(d => Math.Exp(-d * d / (2.0 * sigma * sigma))).ToArray();
        var total = taps.Sum();
        double At(int x, int y, int c) => image[(Math.Clamp(y, 0, H - 1) * W + Math.Clamp(x, 0, W - 1)) * 3 + c];
        double Rows(int x, int y, int c) => Enumerable.Range(-radius, 2 * radius + 1).Sum(k => taps[k + radius] / total * At(x + k, y, c));
        foreach (var (x, y) in new[] { (0, 0), (1, 20), (W / 2, H / 2), (W - 1, H - 1), (W - 2, 3), (5, H - 1) })
        for (var c = 0; c < 3; c++)
        {
            var expected = Enumerable.Range(-radius, 2 * radius + 1).Sum(k => taps[k + radius] / total * Rows(x, Math.Clamp(y + k, 0, H - 1), c));
            Assert.True(Math.Abs(blurred[(y * W + x) * 3 + c] - expected) <= 2.5, $"({x},{y}) channel {c}: {blurred[(y * W + x) * 3 + c]} vs {expected:F2}");
        }
    }

    [Fact]
    public void TheSrgbResponseEncodesTheLinearValueAsCamerasDo()
    {
        var effects = CameraEffects.None with { Response = CameraResponse.Srgb };
        var camera = new CameraModel(effects, 5, W, H);
        // IEC 61966-2-1: black and white stay, 18% grey is 46%, the linear toe below 0.0031308.
        foreach (var (linear, srgb) in new (byte, byte)[] { (0, 0), (255, 255), (46, 118), (1, 13), (128, 188) })
            Assert.Equal(srgb, Develop(camera, Uniform(linear))[0]);
        var ramp = Enumerable.Range(0, W * H * 3).Select(i => (byte)(i % 256)).ToArray();
        var developed = Develop(camera, ramp);
        for (var i = 1; i < 256; i++) Assert.True(developed[i] >= developed[i - 1], $"not monotonic at {i}");
        Assert.Equal("srgb", camera.Describe()["response"]!.GetValue<string>());
        Assert.Equal("linear", new CameraModel(new CameraEffects(), 5, W, H).Describe()["response"]!.GetValue<string>());
    }

    [Fact]
    public void NoEffectsLeavesTheImageUntouched()
    {
        var camera = new CameraModel(CameraEffects.None, 5, W, H);
        var image = Enumerable.Range(0, W * H * 3).Select(i => (byte)(i * 13 % 256)).ToArray();
        Assert.Equal(image, Develop(camera, image));
        Assert.True(CameraEffects.None.IsNone);
        Assert.False(new CameraEffects().IsNone);
    }

    [Fact]
    public void OutOfRangeSettingsAreRefusedByFlagName()
    {
        var e = Assert.Throws<ArgumentException>(() => new CameraEffects { VignettingMax = 1.5f }.Validate());
        Assert.Contains("--vignetting", e.Message);
        e = Assert.Throws<ArgumentException>(() => new CameraEffects { DefocusMaxPx = -1 }.Validate());
        Assert.Contains("--defocus", e.Message);
    }
}

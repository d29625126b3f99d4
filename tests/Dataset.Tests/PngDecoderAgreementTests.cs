using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using DistDepth.SimBridge;
using DistDepth.SimServer.Navigation;
using DistDepth.SimServer.Rendering;
using DistDepth.SimServer.Scenes;
using OpenCvSharp;
using Xunit.Abstractions;

namespace DistDepth.Dataset.Tests;

/// <summary>
/// Issue 17, acceptance 1: the dataset's PNGs (as <see cref="ImageCodec"/> writes them) decode to
/// the very pixels written in three independent decoders: OpenCV (libpng), Python's PIL and headless Chromium,
/// for random, gradient, rendered and noisy images of awkward sizes, in both stored kinds (RGB8, Gray16).
/// </summary>
public class PngDecoderAgreementTests(ITestOutputHelper output)
{
    const string Chromium = "/usr/bin/chromium";
    static readonly (int Width, int Height)[] Sizes = [(1, 1), (511, 3), (512, 512), (1280, 720)];
    static readonly Lazy<List<TestImage>> Images = new(BuildImages);

    /// <summary>One image as written: RGB8 (3 bytes a pixel) or Gray16 (native-endian ushorts).</summary>
    sealed record TestImage(string Name, int Width, int Height, byte[]? Rgb, ushort[]? Grey)
    {
        public byte[] Png { get; } = Rgb is not null ? ImageCodec.EncodeRgb(new RgbImage(Width, Height, Rgb)) : ImageCodec.EncodeUInt16(Grey!, Width, Height);
    }

    [Fact]
    public void OpenCvDecodesEveryPixel()
    {
        foreach (var image in Images.Value)
        {
            using var mat = Cv2.ImDecode(image.Png, ImreadModes.Unchanged);
            Assert.False(mat.Empty(), $"{image.Name}: OpenCV does not decode it");
            Assert.Equal((image.Width, image.Height), (mat.Cols, mat.Rows));
            if (image.Rgb is not null)
            {
                Assert.Equal(MatType.CV_8UC3, mat.Type());
                using var rgb = new Mat();
                Cv2.CvtColor(mat, rgb, ColorConversionCodes.BGR2RGB);
                Assert.True(image.Rgb.AsSpan().SequenceEqual(ImageCodec.ToRgbImage(rgb).Pixels), $"{image.Name}: pixels differ");
            }
            else
            {
                Assert.Equal(MatType.CV_16UC1, mat.Type());
                mat.GetArray(out ushort[] grey);
                Assert.True(image.Grey.AsSpan().SequenceEqual(grey), $"{image.Name}: pixels differ");
            }
        }
    }

    [Fact]
    public async Task PythonPilDecodesEveryPixel()
    {
        const string python = "/usr/bin/python3"; // Debian's, with python3-pil and python3-numpy
        if (!await PythonHasPilAsync(python))
        {
            output.WriteLine("SKIPPED: Debian's python3-pil is not installed (scripts/setup.sh installs it)");
            Console.WriteLine("SKIPPED PythonPilDecodesEveryPixel: python3-pil is not installed");
            return;
        }
        var dir = TempFolder.New("png-pil");
        foreach (var image in Images.Value)
        {
            File.WriteAllBytes(Path.Combine(dir, image.Name + ".png"), image.Png);
            File.WriteAllBytes(Path.Combine(dir, image.Name + ".raw"), image.Rgb ?? MemoryMarshal.AsBytes(image.Grey.AsSpan()).ToArray());
        }
        // PIL opens 16-bit grey as mode I or I;16; numpy makes either the same numbers.
        const string script = """
            import sys, pathlib, numpy as np
            from PIL import Image
            for png in sorted(pathlib.Path(sys.argv[1]).glob('*.png')):
                with Image.open(png) as im:
                    got = np.asarray(im)
                    mode = im.mode
                rgb = png.stem.startswith('rgb')
                want = np.fromfile(png.with_suffix('.raw'), dtype=np.uint8 if rgb else '<u2').reshape(got.shape[:2] + ((3,) if rgb else ()))
                ok = got.shape == want.shape and np.array_equal(got.astype(np.int64), want.astype(np.int64))
                print(png.stem, mode, 'identical' if ok else 'DIFFERENT')
            """;
        var (code, stdout, stderr) = await RunAsync(python, ["-c", script, dir]);
        Assert.True(code == 0, $"python exited {code}: {stderr}");
        output.WriteLine(stdout);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Images.Value.Count, lines.Length);
        Assert.All(lines, line => Assert.EndsWith(" identical", line));
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public async Task HeadlessChromiumDecodesEveryPixel()
    {
        if (!File.Exists(Chromium))
        {
            output.WriteLine($"SKIPPED: {Chromium} is not installed (apt-get install chromium)");
            Console.WriteLine($"SKIPPED HeadlessChromiumDecodesEveryPixel: {Chromium} is not installed");
            return;
        }
        // The page draws each PNG, decoded by the browser itself, into a canvas when the page has loaded, reads the
        // pixels back as RGBA and prints an FNV-1a hash of them. A canvas holds 8 bits a channel, so Chromium
        // shows a 16-bit grey sample as its high byte: the low bytes are checked by the two decoders above.
        var page = new StringBuilder("<html><body><pre id=out></pre>\n");
        foreach (var image in Images.Value)
            page.Append($"<img data-name='{image.Name}' src='data:image/png;base64,{Convert.ToBase64String(image.Png)}'>\n");
        page.Append("""
            <script>
            window.onload = () => {
              const lines = [];
              for (const img of document.images) {
                const canvas = document.createElement('canvas');
                [canvas.width, canvas.height] = [img.naturalWidth, img.naturalHeight];
                const context = canvas.getContext('2d', { willReadFrequently: true });
                context.drawImage(img, 0, 0);
                const rgba = context.getImageData(0, 0, canvas.width, canvas.height).data;
                let hash = 0x811c9dc5;
                for (let i = 0; i < rgba.length; i++) hash = Math.imul(hash ^ rgba[i], 0x01000193);
                lines.push(`${img.dataset.name} ${canvas.width}x${canvas.height} ${(hash >>> 0).toString(16).padStart(8, '0')}`);
              }
              document.getElementById('out').textContent = lines.join('\n');
            };
            </script></body></html>
            """);
        var dir = TempFolder.New("png-chromium");
        var html = Path.Combine(dir, "decode.html");
        File.WriteAllText(html, page.ToString());
        var (code, dom, stderr) = await RunAsync(Chromium, ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--force-color-profile=srgb", "--virtual-time-budget=60000",
            $"--user-data-dir={Path.Combine(dir, "profile")}", "--dump-dom", new Uri(html).AbsoluteUri]);
        Assert.True(code == 0, $"chromium exited {code}: {stderr}");
        var printed = Regex.Match(dom, "<pre id=\"out\">(.*?)</pre>", RegexOptions.Singleline).Groups[1].Value;
        var decoded = Regex.Matches(printed, @"([\w-]+) (\d+)x(\d+) ([0-9a-f]{8})").ToDictionary(m => m.Groups[1].Value);
        foreach (var image in Images.Value)
        {
            Assert.True(decoded.TryGetValue(image.Name, out var m), $"{image.Name}: not decoded");
            Assert.Equal($"{image.Width}x{image.Height}", $"{m.Groups[2].Value}x{m.Groups[3].Value}");
            Assert.True(Fnv1a(Rgba(image)).ToString("x8") == m.Groups[4].Value, $"{image.Name}: pixels differ in Chromium");
        }
        output.WriteLine($"{decoded.Count} images identical in Chromium");
        Directory.Delete(dir, recursive: true);
    }

    static uint Fnv1a(byte[] bytes)
    {
        uint hash = 0x811c9dc5;
        foreach (var b in bytes) hash = (hash ^ b) * 0x01000193;
        return hash;
    }

    static byte[] Rgba(TestImage image)
    {
        int n = image.Width * image.Height;
        var rgba = new byte[n * 4];
        for (int i = 0; i < n; i++)
        {
            if (image.Rgb is { } rgb) (rgba[4 * i], rgba[4 * i + 1], rgba[4 * i + 2]) = (rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]);
            else rgba[4 * i] = rgba[4 * i + 1] = rgba[4 * i + 2] = (byte)(image.Grey![i] >> 8);
            rgba[4 * i + 3] = 255;
        }
        return rgba;
    }

    static List<TestImage> BuildImages()
    {
        var images = new List<TestImage>();
        var scene = new SceneCatalog(null).Load("procedural:1");
        var pose = new TrajectoryPlanner(scene.Mesh, scene.Grid, StereoRig.SimSin.CameraHeightM)
            .Plan(new TrajectorySettings(TrajectoryKind.Navigate, 5, 1)).First().LeftCamera(StereoRig.SimSin.CameraHeightM);
        foreach (var (w, h) in Sizes)
        {
            var rng = new Random(w * 7919 + h);
            int n = w * h;
            var rendered = new StereoRenderer(StereoRig.SimSin with { Width = w, Height = h }).Render(scene.Mesh, pose);
            var renderedMm = rendered.DepthLeft!.Select(m => (ushort)Math.Clamp(MathF.Round(m * 1000), 0, 65535)).ToArray();
            var noisy = new byte[n * 3];
            GaussianNoise.Add(rendered.RgbLeft, noisy, 255 * 0.01f, (ulong)n);

            var random = new byte[n * 3];
            rng.NextBytes(random);
            images.Add(new($"rgb-random-{w}x{h}", w, h, random, null));
            images.Add(new($"rgb-gradient-{w}x{h}", w, h, [.. Gradient(w, h, 3, 255).Select(v => (byte)v)], null));
            images.Add(new($"rgb-rendered-{w}x{h}", w, h, rendered.RgbLeft!, null));
            images.Add(new($"rgb-noisy-{w}x{h}", w, h, noisy, null));

            images.Add(new($"grey-random-{w}x{h}", w, h, null, [.. Enumerable.Range(0, n).Select(_ => (ushort)rng.Next(65536))]));
            images.Add(new($"grey-gradient-{w}x{h}", w, h, null, [.. Gradient(w, h, 1, 65535).Select(v => (ushort)v)]));
            images.Add(new($"grey-rendered-{w}x{h}", w, h, null, renderedMm));
            images.Add(new($"grey-noisy-{w}x{h}", w, h, null, [.. renderedMm.Select(mm => (ushort)Math.Clamp(mm + rng.Next(-30, 31), 0, 65535))]));
        }
        return images;
    }

    /// <summary>Channel 0 ramps left to right, channel 1 top to bottom, channel 2 diagonally; one channel: their mean.</summary>
    static int[] Gradient(int w, int h, int channels, int max)
    {
        var values = new int[w * h * channels];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int across = x * max / Math.Max(1, w - 1), down = y * max / Math.Max(1, h - 1);
                int[] c = channels == 3 ? [across, down, (across + down) / 2] : [(across + down) / 2];
                c.CopyTo(values, (y * w + x) * channels);
            }
        return values;
    }

    static async Task<bool> PythonHasPilAsync(string python) =>
        File.Exists(python) && (await RunAsync(python, ["-c", "import PIL, numpy"])).Code == 0;

    static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string file, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}

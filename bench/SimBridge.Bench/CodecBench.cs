using System.Diagnostics;
using DistDepth.Dataset;
using DistDepth.Sim.V1;
using DistDepth.SimBridge;
using DistDepth.SimServer.Service;
using OpenCvSharp;

/// <summary>
/// The dataset's PNG encoder against OpenCV's <c>imencode</c> at zlib level 1 (the encoder simgen used
/// before), on simgen's own images: the noisy left/right RGB and the millimetre depth that
/// <see cref="FrameConverter"/> hands to the encoder. One thread, so MB/s per core is raw bytes over the
/// process CPU time; the two alternate round by round and the figures are medians.
/// </summary>
static class CodecBench
{
    public static async Task RunAsync(string[] args)
    {
        int size = args.Length > 0 ? int.Parse(args[0]) : 512, rounds = args.Length > 1 ? int.Parse(args[1]) : 5;
        var options = new SimGenOptions { SequencesPerScene = 2, Frames = 30, Width = size, Height = size };
        var plan = GenerationPlan.Build(SceneList.Expand(["procedural:1"]), options);
        var raw = await RawFrames.FetchAsync(plan, options, Output.RgbLeft, Output.RgbRight, Output.DepthLeft);
        var rgb = new List<byte[]>();
        var depth = new List<ushort[]>();
        foreach (var (job, frame) in raw)
        {
            var row = FrameConverter.ToStereoFrame(ReceivedFrame.Of(frame), job, options, "embedded");
            rgb.Add(ImageCodec.DecodeRgb(row.Left).Pixels);
            rgb.Add(ImageCodec.DecodeRgb(row.Right!).Pixels);
            depth.Add(ImageCodec.DecodeUInt16(row.Depth!, out _, out _));
        }
        var bgrMats = rgb.Select(p =>
        {
            using var m = Mat.FromPixelData(size, size, MatType.CV_8UC3, p);
            var bgr = new Mat();
            Cv2.CvtColor(m, bgr, ColorConversionCodes.RGB2BGR);
            return bgr;
        }).ToList();
        var depthMats = depth.Select(d => Mat.FromPixelData(size, size, MatType.CV_16UC1, d)).ToList();

        Console.WriteLine($"{rgb.Count} RGB8 and {depth.Count} Gray16 images of {size}x{size} from simgen's frames, one thread, {rounds} alternating rounds");
        long rgbBytes = rgb.Count * (long)size * size * 3, depthBytes = depth.Count * (long)size * size * 2;
        var sides = new (string Name, Func<long> Rgb, Func<long> Depth)[]
        {
            ("OpenCV imencode, zlib level 1", () => bgrMats.Sum(m => Encode(m)), () => depthMats.Sum(m => Encode(m))),
            ("PngWriter (ImageCodec)", () => rgb.Sum(p => (long)ImageCodec.EncodeRgb(new RgbImage(size, size, p)).Length),
                                       () => depth.Sum(d => (long)ImageCodec.EncodeUInt16(d, size, size).Length)),
        };
        long Encode(Mat m) => OpenCvPng(m).Length;

        // [side] -> per round (RGB CPU s, depth CPU s), and the encoded sizes (the same every round)
        var seconds = sides.Select(_ => new List<(double Rgb, double Depth)>()).ToArray();
        var sizes = new (long Rgb, long Depth)[sides.Length];
        for (int round = 0; round <= rounds; round++) // round 0 warms the JIT and the caches up
            for (int s = 0; s < sides.Length; s++)
            {
                var (rgbSeconds, rgbSize) = CpuSeconds(sides[s].Rgb);
                var (depthSeconds, depthSize) = CpuSeconds(sides[s].Depth);
                if (round > 0) seconds[s].Add((rgbSeconds, depthSeconds));
                sizes[s] = (rgbSize, depthSize);
            }

        Console.WriteLine("encoder | RGB8 MB/s per core | Gray16 MB/s per core | frame (2 RGB8 + 1 Gray16) MB/s per core | size RGB8 / Gray16 / frame (MB)");
        var frameMBps = new double[sides.Length];
        for (int s = 0; s < sides.Length; s++)
        {
            double rgbMBps = Median(seconds[s].Select(r => rgbBytes / 1e6 / r.Rgb)), depthMBps = Median(seconds[s].Select(r => depthBytes / 1e6 / r.Depth));
            frameMBps[s] = Median(seconds[s].Select(r => (rgbBytes + depthBytes) / 1e6 / (r.Rgb + r.Depth)));
            Console.WriteLine($"{sides[s].Name} | {rgbMBps:F1} | {depthMBps:F1} | {frameMBps[s]:F1} | {sizes[s].Rgb / 1e6:F2} / {sizes[s].Depth / 1e6:F2} / {(sizes[s].Rgb + sizes[s].Depth) / 1e6:F2}");
        }
        var rgbSpeedups = seconds[0].Zip(seconds[1], (o, n) => o.Rgb / n.Rgb);
        var depthSpeedups = seconds[0].Zip(seconds[1], (o, n) => o.Depth / n.Depth);
        var frameSpeedups = seconds[0].Zip(seconds[1], (o, n) => (o.Rgb + o.Depth) / (n.Rgb + n.Depth));
        Console.WriteLine($"PngWriter / OpenCV, medians of the rounds' ratios: MB/s per core RGB8 {Median(rgbSpeedups):F2}x, Gray16 {Median(depthSpeedups):F2}x, " +
                          $"frame {Median(frameSpeedups):F2}x (goal >= 3x); file size RGB8 {(double)sizes[1].Rgb / sizes[0].Rgb:F3}, " +
                          $"Gray16 {(double)sizes[1].Depth / sizes[0].Depth:F3}, frame {(double)(sizes[1].Rgb + sizes[1].Depth) / (sizes[0].Rgb + sizes[0].Depth):F3}");

        // Decoding, for the training loader and curation: OpenCV as ImageCodec used it (imdecode, BGR -> RGB,
        // copied out of the Mat) against PngReader (ImageCodec now), on both writers' files.
        var files = new (string Writer, byte[][] Rgb, byte[][] Depth)[]
        {
            ("OpenCV-written", [.. bgrMats.Select(OpenCvPng)], [.. depthMats.Select(OpenCvPng)]),
            ("PngWriter-written", [.. rgb.Select(p => ImageCodec.EncodeRgb(new RgbImage(size, size, p)))], [.. depth.Select(d => ImageCodec.EncodeUInt16(d, size, size))]),
        };
        var decoders = new (string Name, Func<byte[], long> Rgb, Func<byte[], long> Depth)[]
        {
            ("OpenCV imdecode", png =>
            {
                using var bgr = Cv2.ImDecode(png, ImreadModes.Color);
                using var rgbMat = new Mat();
                Cv2.CvtColor(bgr, rgbMat, ColorConversionCodes.BGR2RGB);
                return ImageCodec.ToRgbImage(rgbMat).Pixels.Length;
            }, png =>
            {
                using var mat = Cv2.ImDecode(png, ImreadModes.Unchanged);
                mat.GetArray(out ushort[] values);
                return values.Length * 2;
            }),
            ("PngReader (ImageCodec)", png => ImageCodec.DecodeRgb(png).Pixels.Length, png => ImageCodec.DecodeUInt16(png, out _, out _).Length * 2),
        };
        var decodeSeconds = new List<double>[files.Length, decoders.Length, 2];
        for (int f = 0; f < files.Length; f++) for (int d = 0; d < decoders.Length; d++) for (int k = 0; k < 2; k++) decodeSeconds[f, d, k] = [];
        for (int round = 0; round <= rounds; round++)
            for (int f = 0; f < files.Length; f++)
                for (int d = 0; d < decoders.Length; d++)
                {
                    var (rgbSeconds, rgbOut) = CpuSeconds(() => files[f].Rgb.Sum(decoders[d].Rgb));
                    var (depthSeconds, depthOut) = CpuSeconds(() => files[f].Depth.Sum(decoders[d].Depth));
                    if (rgbOut != rgbBytes || depthOut != depthBytes) throw new InvalidOperationException($"{decoders[d].Name} decoded the wrong number of bytes");
                    if (round == 0) continue;
                    decodeSeconds[f, d, 0].Add(rgbSeconds);
                    decodeSeconds[f, d, 1].Add(depthSeconds);
                }
        Console.WriteLine("decoder | files | RGB8 MB/s per core | Gray16 MB/s per core (decoded bytes)");
        for (int f = 0; f < files.Length; f++)
            for (int d = 0; d < decoders.Length; d++)
                Console.WriteLine($"{decoders[d].Name} | {files[f].Writer} | {Median(decodeSeconds[f, d, 0].Select(t => rgbBytes / 1e6 / t)):F1} | {Median(decodeSeconds[f, d, 1].Select(t => depthBytes / 1e6 / t)):F1}");
    }

    static byte[] OpenCvPng(Mat image)
    {
        Cv2.ImEncode(".png", image, out var png, [new ImageEncodingParam(ImwriteFlags.PngCompression, 1)]);
        return png;
    }

    static (double Seconds, long Result) CpuSeconds(Func<long> work)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        long result = work();
        return ((Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds, result);
    }

    static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}

using System.Diagnostics;
using System.Runtime.InteropServices;
using DistDepth.Dataset;
using DistDepth.Sim.V1;
using DistDepth.SimBridge;
using DistDepth.SimServer.Service;

/// <summary>
/// Issue 17, acceptance 3 and 4: this simgen against a previous build of it (another checkout's
/// src/Cli/bin/.../distdepth.dll), both run as the CLI on the same 512x512 plan, alternating round by round,
/// then whether the two datasets decode to identical pixels. As an anchor, the authors' generator's I/O per
/// frame (facebookresearch/DistDepth stereo_agent_example.py: cv2.imwrite of both RGB images at OpenCV's
/// default level, np.save of both float32 depth maps), timed in Debian's python3-opencv on simgen's frames.
/// </summary>
static class PreviousSimgenBench
{
    public static async Task RunAsync(string[] args)
    {
        if (args.Length < 1 || !File.Exists(args[0]))
            throw new ArgumentException("usage: previous PATH/TO/previous/distdepth.dll [ROUNDS SCENES]");
        string previous = Path.GetFullPath(args[0]);
        int rounds = args.Length > 1 ? int.Parse(args[1]) : 5, scenes = args.Length > 2 ? int.Parse(args[2]) : 2;
        string current = Path.Combine(AppContext.BaseDirectory, "distdepth.dll");
        var options = new SimGenOptions { SequencesPerScene = 5, Frames = 50, Width = 512, Height = 512, Camera = CameraEffects.None };
        var sceneList = $"procedural:{scenes}";
        int frames = GenerationPlan.Build(SceneList.Expand([sceneList]), options).Count * options.Frames;
        string[] simgenArgs = ["simgen", "--scenes", sceneList, "--sequences-per-scene", $"{options.SequencesPerScene}",
            "--frames", $"{options.Frames}", "--width", "512", "--height", "512", "--workers", "2"];
        // The previous simgen predates ambient occlusion and camera effects (issues 15, 19): flat is its rendering.
        string[] currentOnly = ["--shading", "flat"];
        var scratch = Path.Combine(Path.GetTempPath(), $"distdepth-simgen-previous-{Guid.NewGuid():N}");
        var anchor = await AnchorFramesAsync(options, Path.Combine(scratch, "anchor-frames.bin"));

        Console.WriteLine($"simgen {frames} frames of 512x512 (RGB left + right, left depth) per run, {Environment.ProcessorCount} cores, {rounds} alternating rounds");
        Console.WriteLine($"previous: {previous}\ncurrent:  {current}");
        Console.WriteLine("round | previous frames/s | current frames/s | ratio | CPU ms/frame previous / current | anchor CPU ms/frame (python3-opencv)");
        var ratios = new List<double>();
        var previousCpu = new List<double>();
        var currentCpu = new List<double>();
        var anchorCpu = new List<double>();
        var currentFps = new List<double>();
        for (int round = 1; round <= rounds; round++)
        {
            bool last = round == rounds; // the last round's datasets are kept for the pixel comparison
            var (previousSeconds, previousCpuSeconds) = await TimedAsync("dotnet", [previous, .. simgenArgs, "--out", Path.Combine(scratch, "previous")]);
            var (currentSeconds, currentCpuSeconds) = await TimedAsync("dotnet", [current, .. simgenArgs, .. currentOnly, "--out", Path.Combine(scratch, "current")]);
            if (!last)
                foreach (var side in new[] { "previous", "current" }) Directory.Delete(Path.Combine(scratch, side), recursive: true);
            var (_, anchorSeconds) = await TimedAsync(Python, [AnchorScript, anchor.Path, $"{anchor.Frames}", Path.Combine(scratch, "anchor-out")]);

            ratios.Add(previousSeconds / currentSeconds);
            previousCpu.Add(previousCpuSeconds * 1000 / frames);
            currentCpu.Add(currentCpuSeconds * 1000 / frames);
            anchorCpu.Add(anchorSeconds * 1000 / anchor.Frames);
            currentFps.Add(frames / currentSeconds);
            Console.WriteLine($"{round,5} | {frames / previousSeconds,17:F1} | {currentFps[^1],16:F1} | {ratios[^1],5:F2} | {previousCpu[^1]:F1} / {currentCpu[^1]:F1} | {anchorCpu[^1]:F1}");
        }
        Console.WriteLine($"current / previous frames/s, median of {rounds} rounds: {Median(ratios):F2} (range {ratios.Min():F2}-{ratios.Max():F2}; goal >= 2)");
        Console.WriteLine($"CPU ms per frame, medians: previous {Median(previousCpu):F1}, current {Median(currentCpu):F1} ({Median(previousCpu) / Median(currentCpu):F2}x)");
        Console.WriteLine($"frames/s per core: current simgen {Median(currentFps) / Environment.ProcessorCount:F1} (wall, {Environment.ProcessorCount} cores), " +
                          $"{1000 / Median(currentCpu):F1} per CPU-second, whole pipeline; anchor's I/O alone {1000 / Median(anchorCpu):F1} per CPU-second " +
                          $"(current simgen {Median(anchorCpu) / Median(currentCpu):F2}x the anchor per core)");
        Console.WriteLine($"dataset bytes: previous {DirectoryBytes(Path.Combine(scratch, "previous")) / 1e6:F0} MB, current {DirectoryBytes(Path.Combine(scratch, "current")) / 1e6:F0} MB, " +
                          $"anchor {DirectoryBytes(Path.Combine(scratch, "anchor-out")) / 1e6 * frames / anchor.Frames:F0} MB for as many frames");
        Console.WriteLine(await SamePixelsAsync(Path.Combine(scratch, "previous"), Path.Combine(scratch, "current")));
        Directory.Delete(scratch, recursive: true);
    }

    const string Python = "/usr/bin/python3"; // Debian's, with python3-opencv
    static string AnchorScript => Path.Combine(AppContext.BaseDirectory, "anchor_io.py");

    /// <summary>The first sequence of simgen's plan as the images simgen encodes (noisy RGB, as habitat's RGBA
    /// observations) plus both views' float32 depth, in one file for the anchor script.</summary>
    static async Task<(string Path, int Frames)> AnchorFramesAsync(SimGenOptions options, string path)
    {
        var plan = GenerationPlan.Build(SceneList.Expand(["procedural:1"]), options).Take(1).ToList();
        var raw = await RawFrames.FetchAsync(plan, options, Output.RgbLeft, Output.RgbRight, Output.DepthLeft, Output.DepthRight);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        await using var file = File.Create(path);
        foreach (var (job, frame) in raw)
        {
            using var received = ReceivedFrame.Of(frame);
            var row = FrameConverter.ToStereoFrame(received, job, options, "embedded");
            file.Write(Rgba(ImageCodec.DecodeRgb(row.Left).Pixels));
            file.Write(Rgba(ImageCodec.DecodeRgb(row.Right!).Pixels));
            file.Write(received.DepthLeft.Span);
            file.Write(received.DepthRight.Span);
        }
        return (path, raw.Count);
    }

    static byte[] Rgba(byte[] rgb)
    {
        var rgba = new byte[rgb.Length / 3 * 4];
        for (int i = 0, j = 0; i < rgb.Length; i += 3, j += 4) (rgba[j], rgba[j + 1], rgba[j + 2], rgba[j + 3]) = (rgb[i], rgb[i + 1], rgb[i + 2], 255);
        return rgba;
    }

    /// <summary>Runs a child to completion: wall seconds, and its CPU seconds (user + system, from getrusage).</summary>
    static async Task<(double Seconds, double CpuSeconds)> TimedAsync(string file, string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        double cpu = ChildrenCpuSeconds();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}");
        // The anchor script reports its own write loop's CPU time (loading the frames is not the anchor's work).
        var reported = (await stdout).Split('\n').FirstOrDefault(l => l.StartsWith("cpu_seconds "));
        return reported is null ? (seconds, ChildrenCpuSeconds() - cpu) : (seconds, double.Parse(reported["cpu_seconds ".Length..], System.Globalization.CultureInfo.InvariantCulture));
    }

    [StructLayout(LayoutKind.Sequential)]
    struct RUsage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public unsafe fixed long Rest[14];
    }

    [DllImport("libc", SetLastError = true)]
    static extern int getrusage(int who, out RUsage usage);

    static double ChildrenCpuSeconds()
    {
        const int RusageChildren = -1; // waited-for children, summed
        if (getrusage(RusageChildren, out var u) != 0) throw new InvalidOperationException($"getrusage failed: errno {Marshal.GetLastPInvokeError()}");
        return u.UserSeconds + u.UserMicroseconds / 1e6 + u.SystemSeconds + u.SystemMicroseconds / 1e6;
    }

    /// <summary>Decodes every image of both datasets, sequence by sequence, and compares the pixels.</summary>
    static async Task<string> SamePixelsAsync(string previousDir, string currentDir)
    {
        var previous = DatasetReader.Open(previousDir);
        var current = DatasetReader.Open(currentDir);
        var ids = previous.Sequences.Select(s => s.SequenceId).Order().ToList();
        if (!ids.SequenceEqual(current.Sequences.Select(s => s.SequenceId).Order()))
            return "pixels: DIFFERENT sequence ids";
        int images = 0;
        foreach (var id in ids)
        {
            var a = await previous.ReadSequenceAsync(id);
            var b = await current.ReadSequenceAsync(id);
            if (a.Count != b.Count) return $"pixels: DIFFERENT frame counts in {id}";
            for (int i = 0; i < a.Count; i++)
            {
                bool same = ImageCodec.DecodeRgb(a[i].Left).Pixels.AsSpan().SequenceEqual(ImageCodec.DecodeRgb(b[i].Left).Pixels)
                    && ImageCodec.DecodeRgb(a[i].Right!).Pixels.AsSpan().SequenceEqual(ImageCodec.DecodeRgb(b[i].Right!).Pixels)
                    && ImageCodec.DecodeUInt16(a[i].Depth!, out _, out _).AsSpan().SequenceEqual(ImageCodec.DecodeUInt16(b[i].Depth!, out _, out _));
                if (!same) return $"pixels: DIFFERENT in {id} frame {a[i].FrameIndex}";
                images += 3;
            }
        }
        return $"pixels: identical ({images} images in {ids.Count} sequences, decoded with ImageCodec)";
    }

    static long DirectoryBytes(string dir) => new DirectoryInfo(dir).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);

    static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}

using DistDepth.Capture.Zed;
using FrameSource = DistDepth.Dataset.FrameSource;
using DistDepth.Dataset;
using OpenCvSharp;

namespace DistDepth.Capture.Tests;

/// <summary>The real `distdepth capture zed` and `distdepth import` in child processes.</summary>
public class CaptureCliTests
{
    [Fact]
    public void CaptureWithTheSdkAbsentSaysWhatIsMissingAndFails()
    {
        var dir = TempFolder.New("nosdk");
        var run = DistDepthCli.Run("capture", "zed", "--sdk", "--scene", "lab", "--frames", "200", "--sequences", "2", "--out", dir,
            "--zed-library", Path.Combine(dir, "libsl_zed_c.so"));
        Assert.Equal(1, run.Exit);
        Assert.Equal($"error: --zed-library {Path.Combine(dir, "libsl_zed_c.so")}: no such file", run.Stderr.Trim());
        if (Directory.Exists(ZedApi.DefaultDirectory)) return; // a machine with the SDK: the default search would find it
        run = DistDepthCli.Run("capture", "zed", "--sdk", "--scene", "lab", "--out", dir);
        Assert.Equal(1, run.Exit);
        var line = Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.StartsWith("error: the ZED SDK C API (libsl_zed_c.so) is not installed", line);
        Assert.Contains("install the ZED SDK 5.2", line);
        Assert.Contains("--zed-library PATH", line);
        Assert.Contains("--uvc", line);
    }

    [Fact]
    public async Task KilledCaptureLeavesNoPartialSequenceAndTheSameCommandFinishesTheSet()
    {
        var dir = TempFolder.New("killed-capture");
        // The stand-in paces frames at --fps like a camera: 30 pairs at 100 fps per sequence.
        string[] command = ["capture", "zed", "--sdk", "--zed-library", StandInSdk.V52.Library, "--resolution", "VGA", "--fps", "100",
            "--scene", "lab", "--frames", "30", "--sequences", "6", "--shard-size-mb", "0.05", "--out", dir];
        List<SequenceEntry> before;
        using (var child = DistDepthCli.Start(command))
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!File.Exists(DatasetManifest.PathIn(dir)) || DatasetManifest.Load(dir).Sequences.Count() < 1)
            {
                if (child.HasExited) Assert.Fail($"capture ended before it could be killed: {child.StandardError.ReadToEnd()}");
                Assert.True(DateTime.UtcNow < deadline, "no sequence was committed in time");
                await Task.Delay(5);
            }
            child.Kill(); // SIGKILL
            await child.WaitForExitAsync();
        }
        before = DatasetManifest.Load(dir).Sequences.ToList();
        Assert.True(before.Count is >= 1 and < 6, $"{before.Count} sequences before the kill");
        Assert.All(before, s => Assert.Equal(30, s.Frames));
        Assert.True((await DatasetVerifier.VerifyAsync(dir)).Ok);

        var resumed = DistDepthCli.Run(command);
        Assert.True(resumed.Exit == 0, resumed.Stderr);
        Assert.Contains($"{6 - before.Count} sequences recorded, {before.Count} already", OneLine(resumed.Stdout));
        var manifest = DatasetManifest.Load(dir);
        Assert.Equal(Enumerable.Range(0, 6).Select(k => $"lab-seq{k:D3}"), manifest.Sequences.Select(s => s.SequenceId).Order());
        Assert.Equal(180, manifest.FrameCount);
        Assert.All(before, s => Assert.Contains(s, manifest.Sequences));
        Assert.True((await DatasetVerifier.VerifyAsync(dir)).Ok);
        var frame = (await DatasetReader.Open(dir).ReadSequenceAsync("lab-seq005"))[0];
        Assert.Equal((FrameSource.Zed, 672, 376, 0.12f), (frame.Source, frame.Width, frame.Height, frame.BaselineM));
        Assert.NotNull(frame.Depth);
        Assert.Equal(1.2f, frame.Pose[7], 4);
    }

    [Fact]
    public async Task ACorruptedFrameAndARebootingCameraDoNotEndARecording()
    {
        var dir = TempFolder.New("warnings-capture");
        var faulty = StandInSdk.Of(StandInSdk.V52.Version, "STANDIN_CORRUPTED_FRAME=3", "STANDIN_REBOOT_BEFORE_FRAME=5", "STANDIN_REBOOT_GRABS=3");
        var run = DistDepthCli.Run("capture", "zed", "--sdk", "--zed-library", faulty.Library, "--resolution", "VGA", "--fps", "100",
            "--scene", "lab", "--frames", "6", "--sequences", "1", "--out", dir);
        Assert.True(run.Exit == 0, run.Stderr);
        Assert.Equal(["warning: sl_grab: CORRUPTED_FRAME (-2), frame skipped (1 so far)", "warning: sl_grab: CAMERA_REBOOTING (-1), waiting up to 30 s"],
            run.Stderr.Trim().Split('\n'));
        var frames = await DatasetReader.Open(dir).ReadSequenceAsync("lab-seq000");
        // The stand-in's blue channel at x = 0 is 3·frame: frame 3 was dropped, frame 5 came after the reboot.
        Assert.Equal([1, 2, 4, 5, 6, 7], frames.Select(f => ImageCodec.DecodeRgb(f.Left).Pixels[2] / 3));
        Assert.Equal([null, null, 1, null, null, null],
            frames.Select(f => (int?)System.Text.Json.Nodes.JsonNode.Parse(f.MetaJson)!["corrupted_frames_skipped"]));
    }

    [Theory]
    [InlineData("4.2.5")]
    [InlineData("6.1.0")]
    public void AnotherMajorSdkVersionIsOneLineAndExit1(string version)
    {
        var dir = TempFolder.New("major");
        var run = DistDepthCli.Run("capture", "zed", "--sdk", "--zed-library", StandInSdk.Of(version).Library, "--scene", "lab", "--out", dir);
        Assert.Equal(1, run.Exit);
        var line = Assert.Single(run.Stderr.Trim().Split('\n'));
        Assert.StartsWith($"error: {StandInSdk.Of(version).Library} is ZED SDK {version}, but these bindings follow the C API layouts of SDK 5.1 and 5.2", line);
    }

    [Fact]
    public void ACameraIdPastTheCApisSlotsIsOneLineAndExit1()
    {
        var dir = TempFolder.New("camera-id");
        var run = DistDepthCli.Run("capture", "zed", "--sdk", "--zed-library", StandInSdk.V52.Library, "--camera-id", "25", "--scene", "lab", "--out", dir);
        Assert.Equal(1, run.Exit);
        Assert.Equal("error: --camera-id 25: the ZED C API has camera slots 0 to 19", run.Stderr.Trim());
    }

    [Fact]
    public async Task ImportRectifiesResizesAndResumesToTheSameSequences()
    {
        var dir = TempFolder.New("import");
        var (video, conf) = WriteVgaRecording(dir, frames: 25);
        string[] import = ["import", "--video", video, "--calibration", conf, "--frames", "8", "--size", "320x240"];
        // Two sequences first, then the rest: the third must be frames 16-23 as in one uninterrupted run.
        Assert.Equal(0, DistDepthCli.Run([.. import, "--sequences", "2", "--out", Path.Combine(dir, "a")]).Exit);
        var resumed = DistDepthCli.Run([.. import, "--out", Path.Combine(dir, "a")]);
        Assert.True(resumed.Exit == 0, resumed.Stderr);
        Assert.Contains("the recording ended 1 frames into a sequence", OneLine(resumed.Stdout));
        Assert.Equal(0, DistDepthCli.Run([.. import, "--out", Path.Combine(dir, "b")]).Exit);
        var a = await DatasetReader.Open(Path.Combine(dir, "a")).ReadSequenceAsync("ramp-seq002");
        var b = await DatasetReader.Open(Path.Combine(dir, "b")).ReadSequenceAsync("ramp-seq002");
        Assert.Equal(b.Select(f => f.Left), a.Select(f => f.Left));
        Assert.Equal(3, DatasetManifest.Load(Path.Combine(dir, "a")).Sequences.Count());

        using var rectifier = new StereoRectifier(ZedCalibration.Load(conf).For(ZedResolution.VGA));
        var expected = new OutputSize(320, 240).Apply(rectifier.Camera);
        var frame = a[0];
        Assert.Equal((FrameSource.Import, 320, 240, expected.Intrinsics, expected.BaselineM), (frame.Source, frame.Width, frame.Height, frame.Intrinsics, frame.BaselineM));
        Assert.Equal((320, 240), (ImageCodec.DecodeRgb(frame.Right!).Width, ImageCodec.DecodeRgb(frame.Right!).Height));
        Assert.Null(frame.Depth);
        Assert.All(frame.Pose, p => Assert.True(float.IsNaN(p)));
    }

    [Fact]
    public async Task ImportFromLeftAndRightFoldersGivesTheFramesTheVideoGives()
    {
        var dir = TempFolder.New("import-folders");
        var (video, conf) = WriteVgaRecording(dir, frames: 8);
        // The same raw frames as two folders of PNGs, in a folder named like the video (the default scene id).
        var (left, right) = (Path.Combine(dir, "ramp", "left"), Path.Combine(dir, "ramp", "right"));
        Directory.CreateDirectory(left);
        Directory.CreateDirectory(right);
        using (var capture = new VideoCapture(video))
        using (var sbs = new Mat())
            for (int i = 0; capture.Read(sbs) && !sbs.Empty(); i++)
            {
                using var l = new Mat(sbs, new Rect(0, 0, 672, 376));
                using var r = new Mat(sbs, new Rect(672, 0, 672, 376));
                Cv2.ImWrite(Path.Combine(left, $"{i:D6}.png"), l);
                Cv2.ImWrite(Path.Combine(right, $"{i:D6}.png"), r);
            }
        string[] common = ["--calibration", conf, "--frames", "4", "--size", "320x240"];
        var fromVideo = DistDepthCli.Run(["import", "--video", video, .. common, "--out", Path.Combine(dir, "v")]);
        Assert.True(fromVideo.Exit == 0, fromVideo.Stderr);
        var fromFolders = DistDepthCli.Run(["import", "--left", left, "--right", right, "--fps", "30", .. common, "--out", Path.Combine(dir, "f")]);
        Assert.True(fromFolders.Exit == 0, fromFolders.Stderr);

        Assert.True((await DatasetVerifier.VerifyAsync(Path.Combine(dir, "f"))).Ok);
        var expected = DatasetManifest.Load(Path.Combine(dir, "v")).Sequences.Select(s => s.SequenceId).ToArray();
        Assert.Equal(["ramp-seq000", "ramp-seq001"], expected);
        Assert.Equal(expected, DatasetManifest.Load(Path.Combine(dir, "f")).Sequences.Select(s => s.SequenceId));
        foreach (var id in expected)
        {
            var v = await DatasetReader.Open(Path.Combine(dir, "v")).ReadSequenceAsync(id);
            var f = await DatasetReader.Open(Path.Combine(dir, "f")).ReadSequenceAsync(id);
            Assert.Equal(v.Select(x => (x.FrameIndex, x.TimestampNs, x.Intrinsics, x.BaselineM)), f.Select(x => (x.FrameIndex, x.TimestampNs, x.Intrinsics, x.BaselineM)));
            Assert.Equal(v.Select(x => x.Left), f.Select(x => x.Left)); // rectified from the same raw pixels
            Assert.Equal(v.Select(x => x.Right), f.Select(x => x.Right));
        }

        File.Copy(Path.Combine(left, "000000.png"), Path.Combine(left, "extra.png"));
        var unpaired = DistDepthCli.Run(["import", "--left", left, "--right", right, .. common, "--out", Path.Combine(dir, "f")]);
        Assert.Equal(1, unpaired.Exit);
        Assert.Equal($"error: {Path.Combine(left, "extra.png")} has no partner in {right}", unpaired.Stderr.Trim());
        Assert.True((await DatasetVerifier.VerifyAsync(Path.Combine(dir, "f"))).Ok); // what was imported is untouched
    }

    [Fact]
    public void ImportProblemsAreOneLineNamingTheFile()
    {
        var dir = TempFolder.New("import-bad");
        var (video, conf) = WriteVgaRecording(dir, frames: 2);
        var broken = Path.Combine(dir, "SN2.conf");
        File.WriteAllText(broken, File.ReadAllText(conf).Replace("[STEREO]", "[STEREOS]"));
        foreach (var (args, message) in new (string[], string)[]
        {
            (["--video", video, "--calibration", broken], $"error: {broken}: missing section [STEREO]"),
            (["--video", Path.Combine(dir, "none.avi"), "--calibration", conf], $"error: {Path.Combine(dir, "none.avi")}: video not found"),
            (["--video", video, "--calibration", Path.Combine(dir, "SN404.conf")], $"error: {Path.Combine(dir, "SN404.conf")}: calibration file not found"),
            (["--left", dir, "--calibration", conf], "error: give either --video FILE or both --left DIR and --right DIR"),
        })
        {
            var run = DistDepthCli.Run(["import", .. args, "--out", Path.Combine(dir, "out")]);
            Assert.Equal(1, run.Exit);
            Assert.Equal(message, run.Stderr.Trim());
        }
    }

    // Spectre.Console wraps long lines at the terminal width.
    static string OneLine(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"\s+", " ");

    // A lossless side-by-side VGA recording whose pictures change with the frame, and the factory file of
    // ZedCalibrationTests' camera written next to it.
    static (string Video, string Conf) WriteVgaRecording(string dir, int frames)
    {
        var video = Path.Combine(dir, "ramp.avi");
        using (var writer = new VideoWriter(video, FourCC.FromString("FFV1"), 30, new Size(2 * 672, 376)))
        {
            for (int i = 0; i < frames; i++)
            {
                using var sbs = new Mat(376, 2 * 672, MatType.CV_8UC3, new Scalar(40, 80, 120));
                for (int k = 0; k < 12; k++)
                    Cv2.Circle(sbs, new Point((37 * k + 11 * i) % 672 + 672 * (k % 2), (53 * k + 7 * i) % 376), 20, new Scalar(20 * k, 255 - 9 * i, 128), -1);
                writer.Write(sbs);
            }
        }
        var conf = Path.Combine(dir, "SN31234567.conf");
        File.WriteAllText(conf, ZedCalibrationTests.FactoryFile);
        return (video, conf);
    }
}

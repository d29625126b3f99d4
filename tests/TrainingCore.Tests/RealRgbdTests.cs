using System.Diagnostics;
using DistDepth.Dataset;
using DistDepth.TrainingCore.RealRgbd;

namespace DistDepth.TrainingCore.Tests;

/// <summary>`import rgbd` of NYUv2's .mat (made by h5py and scipy as MATLAB lays it out) and of depth PNG folders, and `evaluate` on the result.</summary>
public class RealRgbdTests
{
    const string Python = "/usr/bin/python3";

    static string MakeNyu()
    {
        var dir = TempFolder.New("nyu");
        var info = new ProcessStartInfo(Python) { RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "make_nyu.py"));
        info.ArgumentList.Add(dir);
        using var p = Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"make_nyu.py failed (needs Debian's python3-h5py and python3-scipy): {stderr.Result}");
        return dir;
    }

    [Fact]
    public async Task NyuTestSplitImportsInSplitOrderAndEvaluatesInTheEigenCrop()
    {
        var nyu = MakeNyu();
        var data = Path.Combine(TempFolder.New("nyu-data"), "d");
        var import = DistDepthCli.Run("import", "rgbd", "--nyu", Path.Combine(nyu, "nyu_depth_v2_labeled.mat"), "--splits", Path.Combine(nyu, "splits.mat"), "--out", data);
        Assert.True(import.Exit == 0, import.Stderr);
        var frames = await DatasetReader.Open(data).ReadAllAsync().ToListAsync();
        Assert.Equal(2, frames.Count);
        foreach (var (frame, k) in frames.Zip(new[] { 2, 0 }))
        {
            Assert.Equal(FrameSource.RealRgbd, frame.Source);
            Assert.Null(frame.Right);
            var rgb = ImageCodec.DecodeRgb(frame.Left);
            var depth = ImageCodec.DecodeDepth(frame.Depth!);
            Assert.Equal((640, 480), (rgb.Width, rgb.Height));
            foreach (var (x, y) in new[] { (0, 0), (300, 200), (639, 479) })
            {
                int i = y * 640 + x;
                Assert.Equal([(byte)(x % 256), (byte)(y % 256), (byte)(50 * k)], rgb.Pixels[(3 * i)..(3 * i + 3)]);
                float expected = y < 45 || x > 600 ? 9f : 1f + 3f * x / 640 + k * 0.5f;
                Assert.Equal(expected, depth.Metres[i], 0.001f);
            }
            Assert.Equal([41, 45, 601, 471], RgbdFrames.EvalCrop(frame));
        }

        var run = Path.Combine(TempFolder.New("nyu-run"), "run");
        var train = DistDepthCli.Run("train", "--data", await TestDatasets.WriteAsync("nyu-train", expert: false), "--out", run, "--width", "64", "--height", "64", "--batch-size", "2",
            "--encoder", "18", "--pose-encoder", "18", "--encoder-weights", "none", "--no-distill", "--max-steps", "0");
        Assert.True(train.Exit == 0, train.Stderr);
        var evaluate = DistDepthCli.Run("evaluate", "--model", run, "--data", data);
        Assert.True(evaluate.Exit == 0, evaluate.Stderr);
        Assert.Contains("flat at GT median", evaluate.Stdout);
        var absRel = evaluate.Stdout.Split('\n').First(l => l.Contains("AbsRel"));
        Assert.Contains(File.ReadAllText(Path.Combine(nyu, "expected.txt")).Trim(), absRel);
    }

    [Fact]
    public async Task DepthFolderFormatsBecomeMetres()
    {
        var root = TempFolder.New("rgbd-folders");
        Directory.CreateDirectory(Path.Combine(root, "rgb"));
        Directory.CreateDirectory(Path.Combine(root, "depth"));
        var colour = new RgbImage(8, 4, Enumerable.Range(0, 8 * 4 * 3).Select(i => (byte)i).ToArray());
        // TUM names colour and depth by their own timestamps; pairs are the nearest within 0.02 s.
        File.WriteAllBytes(Path.Combine(root, "rgb", "1305031102.175304.png"), ImageCodec.EncodeRgb(colour));
        File.WriteAllBytes(Path.Combine(root, "depth", "1305031102.160407.png"), ImageCodec.EncodeUInt16(Enumerable.Repeat((ushort)7500, 32).ToArray(), 8, 4));
        var data = Path.Combine(root, "out");
        var run = DistDepthCli.Run("import", "rgbd", "--color", Path.Combine(root, "rgb"), "--depth", Path.Combine(root, "depth"),
            "--depth-format", "tum", "--intrinsics", "525,525,3.5,1.5", "--out", data);
        Assert.True(run.Exit == 0, run.Stderr);
        var frame = Assert.Single(await DatasetReader.Open(data).ReadAllAsync().ToListAsync());
        Assert.All(ImageCodec.DecodeDepth(frame.Depth!).Metres, m => Assert.Equal(1.5f, m, 0.001f));
        Assert.Equal(colour.Pixels, ImageCodec.DecodeRgb(frame.Left).Pixels);
        Assert.Equal(525f, frame.Intrinsics.Fx);

        // SUN RGB-D stores millimetres rotated left by 3 bits; ScanNet and the rest plain millimetres.
        ushort mm = 1234, sun = (ushort)((mm << 3) | (mm >> 13));
        Assert.Equal(1.234f, DepthEncodings.ToMetres([sun], DepthEncoding.SunRgbd)[0], 0.0001f);
        Assert.Equal(1.234f, DepthEncodings.ToMetres([mm], DepthEncoding.Millimetres)[0], 0.0001f);
        Assert.Equal(0f, DepthEncodings.ToMetres([0], DepthEncoding.SunRgbd)[0]);
    }

    [Fact]
    public void AMatFileWithoutNyuDatasetsIsOneErrorNamingIt()
    {
        var dir = TempFolder.New("bad-nyu");
        var path = Path.Combine(dir, "x.mat");
        File.WriteAllText(path, "not hdf5");
        var run = DistDepthCli.Run("import", "rgbd", "--nyu", path, "--split", "all", "--out", Path.Combine(dir, "out"));
        Assert.Equal(1, run.Exit);
        var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(path, lines[0]);
    }
}

using System.CommandLine;
using System.Globalization;
using DistDepth.Dataset;
using DistDepth.TrainingCore.RealRgbd;
using Spectre.Console;

namespace DistDepth.Cli.Commands;

/// <summary>`distdepth import rgbd`: real RGB-D benchmark frames (NYUv2, TUM, SUN RGB-D, ScanNet, millimetre PNGs) into a dataset for `evaluate`.</summary>
public static class ImportRgbdCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Dataset folder to write (source real-rgbd)", Required = true };
        var nyu = new Option<string?>("--nyu") { Description = "NYUv2 nyu_depth_v2_labeled.mat (HDF5): Kinect intrinsics and the Eigen crop come with it" };
        var splits = new Option<string?>("--splits") { Description = "NYUv2 splits.mat; with --split test, the 654 test images of Eigen et al." };
        var split = new Option<string>("--split") { Description = "test, train or all (all 1449 images; needs no --splits)", DefaultValueFactory = _ => "test" };
        split.AcceptOnlyFromAmong("test", "train", "all");
        var colour = new Option<string?>("--color") { Description = "Folder (or one file) of colour images, paired with --depth by name or timestamp" };
        var depth = new Option<string?>("--depth") { Description = "Folder (or one file) of 16-bit depth PNGs" };
        var format = new Option<string>("--depth-format") { Description = "mm (ScanNet, millimetre PNGs), tum (value/5000 m) or sunrgbd (bit-rotated mm)", DefaultValueFactory = _ => "mm" };
        var intrinsics = new Option<string?>("--intrinsics") { Description = "fx,fy,cx,cy of the colour camera in pixels (folders only)" };
        var scene = new Option<string>("--scene") { Description = "Scene and sequence id (one sequence per import)", DefaultValueFactory = _ => "rgbd" };
        var command = new Command("rgbd", "Import real RGB-D frames (colour + metric depth, no right image) for `evaluate`")
        {
            output, nyu, splits, split, colour, depth, format, intrinsics, scene,
        };
        command.SetAction((p, ct) => CommandRunner.RunAsync(async ct =>
        {
            var frames = p.GetValue(nyu) is { } mat
                ? NyuFrames(mat, p.GetValue(splits), p.GetValue(split)!)
                : FolderFrames(p.GetValue(colour), p.GetValue(depth), DepthEncodings.Parse(p.GetValue(format)!), p.GetValue(intrinsics));
            var dir = p.GetValue(output)!;
            var id = p.GetValue(scene)!;
            int count = 0;
            await using (var writer = DatasetWriter.Open(dir))
            {
                var sequence = writer.BeginSequence(id, id);
                foreach (var frame in frames)
                {
                    ct.ThrowIfCancellationRequested();
                    sequence.Append(frame);
                    count++;
                }
                await sequence.CompleteAsync();
            }
            AnsiConsole.MarkupLine($"import rgbd: {count} frames -> {Markup.Escape(dir)} (scene {Markup.Escape(id)}); evaluate with `distdepth evaluate --model RUN --data {Markup.Escape(dir)}`");
            return 0;
        }, ct));
        return command;
    }

    static IEnumerable<StereoFrame> NyuFrames(string mat, string? splitsPath, string split)
    {
        using var nyu = NyuV2Labeled.Open(mat);
        var indices = split == "all" ? Enumerable.Range(0, nyu.Count).ToArray()
            : NyuV2Labeled.Split(splitsPath ?? throw new ArgumentException($"--split {split} needs --splits splits.mat (or --split all)"), split == "test" ? "testNdxs" : "trainNdxs");
        for (int n = 0; n < indices.Length; n++)
        {
            var (rgb, metres) = nyu.Read(indices[n]);
            yield return RgbdFrames.Create(n, rgb, metres, NyuV2Labeled.Intrinsics, "nyuv2", NyuV2Labeled.EigenCrop, $"{Path.GetFileName(mat)}#{indices[n] + 1}");
        }
    }

    static IEnumerable<StereoFrame> FolderFrames(string? colour, string? depth, DepthEncoding encoding, string? intrinsicsText)
    {
        if (colour is null || depth is null) throw new ArgumentException("give --nyu FILE.mat, or --color and --depth (folders or files)");
        var k = Intrinsics(intrinsicsText ?? throw new ArgumentException("--intrinsics fx,fy,cx,cy is needed with --color/--depth"));
        var pairs = RgbdFolder.Pairs(colour, depth);
        for (int n = 0; n < pairs.Count; n++)
        {
            var (rgb, metres) = RgbdFolder.Read(pairs[n].Colour, pairs[n].Depth, encoding);
            yield return RgbdFrames.Create(n, rgb, metres, k, encoding.ToString().ToLowerInvariant(), null, Path.GetFileName(pairs[n].Colour));
        }
    }

    static CameraIntrinsics Intrinsics(string text)
    {
        var v = text.Split(',').Select(s => float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f > 0 ? f
            : throw new ArgumentException($"--intrinsics '{text}': '{s}' is not a positive number")).ToArray();
        return v.Length == 4 ? new CameraIntrinsics(v[0], v[1], v[2], v[3]) : throw new ArgumentException($"--intrinsics '{text}': give fx,fy,cx,cy");
    }
}

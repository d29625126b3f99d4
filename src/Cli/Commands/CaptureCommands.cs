using System.CommandLine;
using DistDepth.Capture;
using DistDepth.Capture.Zed;
using DistDepth.Dataset;
using Spectre.Console;

namespace DistDepth.Cli.Commands;

/// <summary>`distdepth capture zed`: record UniSIN-style sequences from a ZED-2i, with or without its SDK.</summary>
public static class CaptureCommands
{
    public static Command Create() => new("capture", "Record stereo sequences from a camera into a dataset") { Zed() };

    static Command Zed()
    {
        var sdk = new Option<bool>("--sdk") { Description = "Through the ZED SDK: rectified pairs, SDK depth and tracked pose (the default)" };
        var uvc = new Option<bool>("--uvc") { Description = "Without the SDK: the camera's UVC side-by-side stream, rectified with its SN<serial>.conf" };
        var scene = new Option<string>("--scene") { Description = "Name of the place being recorded; re-running with the same name resumes", Required = true };
        var cameraId = new Option<int>("--camera-id") { Description = $"SDK camera id (0 to {ZedApi.CameraSlots - 1}), or N of /dev/videoN with --uvc", DefaultValueFactory = _ => 0 };
        var serial = new Option<uint>("--serial") { Description = "SDK: open this camera; --uvc: find SN<serial>.conf in /usr/local/zed/settings or ~/zed/settings" };
        var resolution = new Option<string>("--resolution") { Description = "HD2K, HD1080, HD720 or VGA (per eye)", DefaultValueFactory = _ => "HD720" };
        var fps = new Option<int>("--fps") { DefaultValueFactory = _ => 30 };
        var depthMode = new Option<SL_DEPTH_MODE>("--depth-mode") { Description = "SDK depth mode", DefaultValueFactory = _ => SL_DEPTH_MODE.NEURAL };
        var svo = new Option<string?>("--svo") { Description = "SDK: play back this SVO file instead of a live camera" };
        var recordSvo = new Option<string?>("--record-svo") { Description = "SDK: also record what is grabbed to this SVO file" };
        var library = new Option<string?>("--zed-library") { Description = $"Path of {ZedApi.LibraryFile} for a non-standard SDK install (default: {ZedApi.DefaultDirectory}, then the loader path)" };
        var allowNewer = new Option<bool>(ZedApi.AllowNewerOption)
        {
            Description = $"SDK: accept a ZED SDK 5.x newer than the verified {string.Join(" and ", ZedApi.VerifiedVersions.Select(v => v.ToString(2)))}, assuming its C API layouts are unchanged",
        };
        var calibration = new Option<string?>("--calibration") { Description = "--uvc: the camera's SN<serial>.conf (default: found from --serial)" };
        var common = new RecordingOptions(defaultSequences: 1);
        var command = new Command("zed", "Record K sequences of N stereo pairs from a ZED-2i (UniSIN: 200 pairs per sequence)")
        {
            sdk, uvc, scene, cameraId, serial, resolution, fps, depthMode, svo, recordSvo, library, allowNewer, calibration,
        };
        common.AddTo(command);
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async ct =>
        {
            if (parse.GetValue(sdk) && parse.GetValue(uvc)) throw new ArgumentException("--sdk and --uvc exclude each other");
            var size = common.Size(parse);
            var res = ZedResolution.Parse(parse.GetValue(resolution)!);
            IStereoSource source = parse.GetValue(uvc)
                ? new UvcStereoSource(parse.GetValue(cameraId), res, parse.GetValue(fps), UvcCalibration(parse.GetValue(calibration), parse.GetValue(serial)), size)
                : new ZedSdkSource(new ZedSdkOptions
                {
                    LibraryPath = parse.GetValue(library), AllowNewerSdk = parse.GetValue(allowNewer), CameraId = parse.GetValue(cameraId), Serial = parse.GetValue(serial),
                    SvoPath = parse.GetValue(svo), RecordSvoPath = parse.GetValue(recordSvo),
                    Resolution = res, Fps = parse.GetValue(fps), DepthMode = parse.GetValue(depthMode),
                    Warn = message => Console.Error.WriteLine($"warning: {message}"),
                }, size);
            using (source)
                return await common.RunAsync(parse, source, new CapturePlan(parse.GetValue(scene)!, common.Sequences(parse), common.Frames(parse), FrameSource.Zed), ct);
        }, ct));
        return command;
    }

    static ZedCalibration UvcCalibration(string? path, uint serial)
    {
        if (path is not null) return ZedCalibration.Load(path);
        if (serial == 0) throw new ArgumentException("--uvc needs the camera's calibration: --calibration SN<serial>.conf or --serial N");
        return ZedCalibration.Load(ZedCalibration.FindFactoryFile((int)serial)
            ?? throw new FileNotFoundException($"SN{serial}.conf is in neither /usr/local/zed/settings nor ~/zed/settings; download it from https://calib.stereolabs.com/?SN={serial} and pass --calibration"));
    }
}

/// <summary>The options and the run loop that `capture zed` and `import` share.</summary>
internal sealed class RecordingOptions(int? defaultSequences)
{
    readonly Option<string> output = new("--out") { Description = "Dataset folder to create or resume", Required = true };
    readonly Option<int> frames = new("--frames") { Description = "Stereo pairs per sequence", DefaultValueFactory = _ => 200 };
    readonly Option<int?> sequences = new("--sequences") { Description = "Number of sequences K" + (defaultSequences is null ? " (default: as many as the recording holds)" : "") };
    readonly Option<string?> size = new("--size") { Description = "Training size WIDTHxHEIGHT: centre-crop to its aspect, resize, intrinsics updated" };
    readonly Option<string?> preview = new("--preview") { Description = "PNG kept showing the latest pair and depth (rewritten twice a second)" };
    readonly Option<double> shardMb = new("--shard-size-mb") { Description = "Target shard size", DefaultValueFactory = _ => 256 };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { output, frames, sequences, size, preview, shardMb }) command.Options.Add(option);
    }

    public OutputSize? Size(ParseResult parse) => parse.GetValue(size) is { } text ? OutputSize.Parse(text) : null;
    public int Frames(ParseResult parse) => parse.GetValue(frames);
    public int? Sequences(ParseResult parse) => parse.GetValue(sequences) ?? defaultSequences;

    public async Task<int> RunAsync(ParseResult parse, IStereoSource source, CapturePlan plan, CancellationToken ct)
    {
        double mb = parse.GetValue(shardMb);
        if (mb <= 0) throw new ArgumentException("--shard-size-mb must be positive");
        var previewWriter = parse.GetValue(preview) is { } p ? new PreviewWriter(p) : null;
        var camera = source.Camera;
        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(source.Description)}: {camera.Width}x{camera.Height}, fx {camera.Intrinsics.Fx:F2} fy {camera.Intrinsics.Fy:F2} " +
            $"cx {camera.Intrinsics.Cx:F2} cy {camera.Intrinsics.Cy:F2}, baseline {camera.BaselineM * 1000:F2} mm[/]");
        await using var writer = DatasetWriter.Open(parse.GetValue(output)!, new DatasetWriterOptions { TargetShardBytes = (long)(mb * 1048576) });
        CaptureReport report = null!;
        await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask("recording", maxValue: plan.FramesPerSequence);
                var progress = new Progress<CaptureProgress>(p =>
                {
                    task.Description = $"{plan.SceneId}: {p.SequencesDone}{(plan.Sequences is { } k ? $" of {k}" : "")} sequences, {p.FramesWritten} frames";
                    task.Value = p.FramesInSequence;
                });
                report = await new CaptureSession(source, plan, previewWriter).RunAsync(writer, progress, ct);
                task.Value = task.MaxValue;
            });
        AnsiConsole.MarkupLine($"[green]{report.Written}[/] sequences recorded, {report.AlreadyThere} already in {Markup.Escape(writer.Directory)}" +
            (report.DroppedFrames > 0 ? $"; the recording ended {report.DroppedFrames} frames into a sequence, which was not kept" : ""));
        if (previewWriter is not null) AnsiConsole.MarkupLine($"preview: [blue]{Markup.Escape(previewWriter.Path)}[/]");
        if (plan.Sequences is { } planned && report.Written + report.AlreadyThere < planned)
        {
            CommandRunner.Fail($"the recording holds {report.Written + report.AlreadyThere} complete sequences of {plan.FramesPerSequence} pairs, not {planned}");
            return 1;
        }
        return 0;
    }
}

using System.CommandLine;
using DistDepth.Capture;
using DistDepth.Dataset;

namespace DistDepth.Cli.Commands;

/// <summary>`distdepth import`: existing raw ZED recordings (side-by-side video or left/right folders) into a dataset.</summary>
public static class ImportCommand
{
    public static Command Create()
    {
        var video = new Option<string?>("--video") { Description = "A side-by-side left|right video, as the ZED streams it (unrectified)" };
        var left = new Option<string?>("--left") { Description = "Folder of raw left images (paired with --right by file name)" };
        var right = new Option<string?>("--right") { Description = "Folder of raw right images" };
        var calibration = new Option<string>("--calibration") { Description = "The camera's factory SN<serial>.conf", Required = true };
        var fps = new Option<double>("--fps") { Description = "Frame rate of image folders, for timestamps", DefaultValueFactory = _ => 30 };
        var scene = new Option<string?>("--scene") { Description = "Scene id (default: the video's name, or the folder holding --left); re-running with the same one resumes" };
        var common = new RecordingOptions(defaultSequences: null);
        var command = new Command("import", "Rectify and import a raw stereo recording with its ZED calibration file, UniSIN-style")
        {
            video, left, right, calibration, fps, scene,
        };
        common.AddTo(command);
        command.Subcommands.Add(ImportRgbdCommand.Create());
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async ct =>
        {
            var (videoPath, leftDir, rightDir) = (parse.GetValue(video), parse.GetValue(left), parse.GetValue(right));
            if ((videoPath is null) == (leftDir is null || rightDir is null) || (leftDir is null) != (rightDir is null))
                throw new ArgumentException("give either --video FILE or both --left DIR and --right DIR");
            var calib = ZedCalibration.Load(parse.GetValue(calibration)!);
            var size = common.Size(parse);
            IStereoSource source = videoPath is not null
                ? new SideBySideVideoSource(videoPath, calib, size)
                : new ImageFolderSource(leftDir!, rightDir!, calib, parse.GetValue(fps), size);
            var sceneId = parse.GetValue(scene) ?? (videoPath is not null
                ? Path.GetFileNameWithoutExtension(videoPath)
                : Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(leftDir!).TrimEnd('/')))) ?? "import";
            using (source)
                return await common.RunAsync(parse, source, new CapturePlan(sceneId, common.Sequences(parse), common.Frames(parse), FrameSource.Import), ct);
        }, ct));
        return command;
    }
}

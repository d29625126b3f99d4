using System.CommandLine;
using DistDepth.Dataset;
using DistDepth.TrainingCore.Evaluation;
using Spectre.Console;

namespace DistDepth.Cli.Commands;

/// <summary>`distdepth predict`: metric depth for an image or a folder of images.</summary>
public static class PredictCommand
{
    static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".bmp"];

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Training run folder (run.json + checkpoint.bin)", Required = true };
        var input = new Argument<string>("input") { Description = "An image, or a folder of images" };
        var output = new Option<string>("--out") { Description = "Output folder", Required = true };
        var fx = new Option<float?>("--fx") { Description = "Focal length x, pixels at the image's size (with --fy --cx --cy; else --hfov)" };
        var fy = new Option<float?>("--fy");
        var cx = new Option<float?>("--cx");
        var cy = new Option<float?>("--cy");
        var hfov = new Option<double>("--hfov") { Description = "Horizontal field of view, degrees, when no --fx is given", DefaultValueFactory = _ => 90 };
        var command = new Command("predict", "Metric depth per image: NAME_depth.png (16-bit, mm), NAME_depth_colour.png, NAME.ply (point cloud)")
        {
            model, input, output, fx, fy, cx, cy, hfov,
        };
        command.SetAction((p, ct) => CommandRunner.RunAsync(async ct =>
        {
            float?[] k = [p.GetValue(fx), p.GetValue(fy), p.GetValue(cx), p.GetValue(cy)];
            if (k.Any(v => v is not null) && k.Any(v => v is null)) throw new ArgumentException("--fx, --fy, --cx and --cy go together");
            var written = await PredictAsync(p.GetValue(model)!, p.GetValue(input)!, p.GetValue(output)!,
                k[0] is null ? null : new CameraIntrinsics(k[0]!.Value, k[1]!.Value, k[2]!.Value, k[3]!.Value), p.GetValue(hfov), ct);
            AnsiConsole.MarkupLine($"predict: {written.Count} images -> {Markup.Escape(p.GetValue(output)!)}");
            return 0;
        }, ct));
        return command;
    }

    /// <returns>The colourised depth PNG of each image.</returns>
    public static async Task<IReadOnlyList<string>> PredictAsync(string run, string input, string output, CameraIntrinsics? intrinsics,
        double hfov, CancellationToken ct)
    {
        var images = Directory.Exists(input)
            ? Directory.GetFiles(input).Where(f => ImageExtensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order(StringComparer.Ordinal).ToList()
            : File.Exists(input) ? [input] : throw new FileNotFoundException($"{input}: no such image or folder");
        if (images.Count == 0) throw new ArgumentException($"{input}: no .png/.jpg/.bmp images in the folder");
        if (!(hfov is > 0 and < 180)) throw new ArgumentException($"--hfov {hfov}: must be in (0, 180) degrees");
        Directory.CreateDirectory(output);
        using var predictor = DepthPredictor.Load(run);
        var written = new List<string>();
        foreach (var path in images)
        {
            ct.ThrowIfCancellationRequested();
            RgbImage image;
            try { image = ImageCodec.DecodeRgb(await File.ReadAllBytesAsync(path, ct)); }
            catch (InvalidDataException) { throw new InvalidDataException($"{path}: not a readable image"); }
            var depth = predictor.Predict(image);
            var name = Path.Combine(output, Path.GetFileNameWithoutExtension(path));
            await File.WriteAllBytesAsync(name + "_depth.png", ImageCodec.EncodeDepth(depth), ct);
            await File.WriteAllBytesAsync(name + "_depth_colour.png", ImageCodec.EncodeRgb(DepthColormap.Colourise(depth)), ct);
            await File.WriteAllBytesAsync(name + ".ply", PointCloud.Ply(depth, image, intrinsics ?? PointCloud.FromHfov(image.Width, image.Height, hfov)), ct);
            written.Add(name + "_depth_colour.png");
        }
        return written;
    }
}

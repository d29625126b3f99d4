using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using DistDepth.Dataset;
using DistDepth.TrainingCore.Expert;
using Spectre.Console;

namespace DistDepth.Cli.Commands;

/// <summary>`distdepth expert`: precomputes the distillation expert's relative inverse depth for every frame (an ONNX model, stereo matching, or the sim oracle).</summary>
public static class ExpertCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("DIR") { Description = "Dataset folder (manifest.json + shards/)" };
        var model = new Option<string>("--model") { Description = "Relative-depth ONNX model (DPT, MiDaS, Depth Anything)" };
        var oracle = new Option<string>("--expert")
        {
            Description = "Instead of --model: stereo (OpenCV semi-global matching on each frame's own rectified pair, invalid pixels 0 and masked in training) " +
                          "or sim-oracle (maps from simulator ground-truth depth, a testing aid for simulated data)",
        };
        oracle.AcceptOnlyFromAmong("stereo", "sim-oracle");
        var preset = new Option<string>("--preset")
        {
            Description = $"Input preprocessing: {string.Join(", ", ExpertPreset.All.Select(p => $"{p.Name} ({p.InputSize})"))}",
            DefaultValueFactory = _ => "dpt-hybrid",
        };
        preset.AcceptOnlyFromAmong([.. ExpertPreset.All.Select(p => p.Name)]);
        var inputSize = new Option<int?>("--input-size") { Description = "Square model input in pixels (overrides the preset)" };
        var mean = new Option<string>("--mean") { Description = "Per-channel mean of x/255, one value or r,g,b (overrides the preset)" };
        var std = new Option<string>("--std") { Description = "Per-channel std, one value or r,g,b (overrides the preset)" };
        var output = new Option<ExpertOutputKind?>("--output-kind") { Description = "What the model outputs: InverseDepth (the presets) or Depth (stored inverted)" };
        var command = new Command("expert", "Fill the expert column with a relative-depth model's inverse depth; re-run to resume")
        {
            dir, model, oracle, preset, inputSize, mean, std, output,
        };
        command.SetAction((p, ct) => CommandRunner.RunAsync(async ct =>
        {
            var folder = p.GetValue(dir)!;
            var total = DatasetManifest.Load(folder).FrameCount;
            using var expert = (p.GetValue(model), p.GetValue(oracle)) switch
            {
                ({ } path, null) => OnnxDepthExpert.Load(path, Preset(p.GetValue(preset)!, p.GetValue(inputSize), p.GetValue(mean), p.GetValue(std), p.GetValue(output))),
                (null, "sim-oracle") => (DepthExpert)new SimOracleExpert(),
                (null, "stereo") => new StereoSgbmExpert(),
                _ => throw new ArgumentException("give either --model M.onnx or --expert stereo|sim-oracle"),
            };
            if (expert is SimOracleExpert)
                AnsiConsole.MarkupLine("[yellow]sim-oracle is a testing aid[/]: expert maps are made from ground-truth depth, and labelled so in meta_json");
            await RunAsync(folder, expert, total, ct);
            return 0;
        }, ct));
        return command;
    }

    static ExpertPreset Preset(string name, int? inputSize, string? mean, string? std, ExpertOutputKind? output)
    {
        var preset = ExpertPreset.Named(name);
        return preset with
        {
            InputSize = inputSize ?? preset.InputSize,
            Mean = mean is null ? preset.Mean : Channels("--mean", mean),
            Std = std is null ? preset.Std : Channels("--std", std),
            Output = output ?? preset.Output,
        };
    }

    static float[] Channels(string option, string text)
    {
        var values = text.Split(',').Select(v => float.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var f)
            ? f : throw new ArgumentException($"{option} '{text}': '{v}' is not a number")).ToArray();
        return values.Length == 1 ? [values[0], values[0], values[0]] : values;
    }

    static async Task RunAsync(string folder, DepthExpert expert, long total, CancellationToken ct)
    {
        var stage = new ExpertStage(expert);
        ExpertRunSummary summary = null!;
        var clock = Stopwatch.StartNew();
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask("expert", maxValue: Math.Max(total, 1));
                var progress = new Progress<long>(n =>
                {
                    task.Increment(n);
                    task.Description = $"expert {task.Value / Math.Max(clock.Elapsed.TotalSeconds, 1e-3):F1} frames/s";
                });
                summary = await stage.RunAsync(folder, progress, ct);
                task.Value = task.MaxValue;
            });
        AnsiConsole.MarkupLine($"expert: {summary.FramesComputed} frames computed ({summary.ShardsReplaced} shards replaced), " +
                               $"{summary.FramesAlreadyDone} already done, {summary.FramesComputed / clock.Elapsed.TotalSeconds:F1} frames/s -> {Markup.Escape(folder)}");
    }
}

using System.CommandLine;
using System.Diagnostics;
using DistDepth.Dataset;
using DistDepth.SimBridge;
using DistDepth.SimServer.Rendering;
using DistDepth.SimServer.Service;
using Spectre.Console;

namespace DistDepth.Cli.Commands;

/// <summary>`distdepth simgen`: SimSIN-style dataset generation from any simulator server.</summary>
public static class SimGenCommand
{
    public static Command Create()
    {
        var d = new SimGenOptions();
        var scenes = new Option<string[]>("--scenes") { Description = "Scene ids, mesh paths, globs ('scenes/*.glb') or 'procedural:N' (N seeded rooms); comma-separated or repeated", Required = true, AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Dataset folder (created, or resumed)", Required = true };
        var perScene = new Option<int>("--sequences-per-scene") { DefaultValueFactory = _ => d.SequencesPerScene };
        var frames = new Option<int>("--frames") { Description = "Frames per sequence", DefaultValueFactory = _ => d.Frames };
        var width = new Option<int>("--width") { DefaultValueFactory = _ => d.Width };
        var height = new Option<int>("--height") { DefaultValueFactory = _ => d.Height };
        var hfov = new Option<float>("--hfov") { Description = "Horizontal field of view, degrees", DefaultValueFactory = _ => d.HfovDeg };
        var baseline = new Option<float>("--baseline") { Description = "Stereo baseline, metres", DefaultValueFactory = _ => d.BaselineM };
        var camHeight = new Option<float>("--camera-height") { Description = "Mean camera height, metres", DefaultValueFactory = _ => d.CameraHeightM };
        var camSpread = new Option<float>("--camera-height-spread") { Description = "Per-sequence uniform spread of the height, metres", DefaultValueFactory = _ => d.CameraHeightSpreadM };
        var mount = new Option<float>("--mount-rotation") { Description = "Per-sequence rig pitch/yaw/roll, uniform within +- this, radians", DefaultValueFactory = _ => d.MountRotationMaxRad };
        var noise = new Option<float>("--rgb-noise") { Description = "Gaussian RGB noise std-dev, fraction of full scale", DefaultValueFactory = _ => d.RgbNoise };
        var exposure = new Option<float>("--exposure-jitter") { Description = "Per-frame gain std-dev (0 = off)", DefaultValueFactory = _ => d.ExposureJitter };
        var failing = new Option<double>("--failing-fraction") { Description = "Share of deliberately failing sequences (labelled), to test curation", DefaultValueFactory = _ => d.FailingFraction };
        var seed = new Option<ulong>("--seed") { DefaultValueFactory = _ => d.Seed };
        var servers = new Option<string[]>("--server") { Description = "host:port of a running simulator (repeatable); default: start the embedded one" };
        var workers = new Option<int>("--workers") { Description = "Parallel simulator sessions", DefaultValueFactory = _ => 2 };
        var shardIndex = new Option<int>("--shard-index") { Description = "This worker's slice of the plan (array jobs)", DefaultValueFactory = _ => 0 };
        var shardCount = new Option<int>("--shard-count") { DefaultValueFactory = _ => 1 };
        var up = SimCommands.UpOption();
        var shading = SimCommands.ShadingOption();
        var shardMb = new Option<double>("--shard-size-mb") { Description = "Target Parquet shard size", DefaultValueFactory = _ => 256 };
        var command = new Command("simgen", "Generate a SimSIN-style stereo dataset; re-run the same command to resume")
        {
            scenes, output, perScene, frames, width, height, hfov, baseline, camHeight, camSpread, mount, noise, exposure, failing,
            seed, servers, workers, shardIndex, shardCount, shardMb, up, shading,
        };
        command.SetAction((p, ct) => CommandRunner.RunAsync(async ct =>
        {
            var options = new SimGenOptions
            {
                SequencesPerScene = p.GetValue(perScene), Frames = p.GetValue(frames), Width = p.GetValue(width), Height = p.GetValue(height),
                HfovDeg = p.GetValue(hfov), BaselineM = p.GetValue(baseline), CameraHeightM = p.GetValue(camHeight),
                CameraHeightSpreadM = p.GetValue(camSpread), MountRotationMaxRad = p.GetValue(mount), RgbNoise = p.GetValue(noise), ExposureJitter = p.GetValue(exposure),
                FailingFraction = p.GetValue(failing), Seed = p.GetValue(seed), Workers = p.GetValue(workers),
            };
            options.Validate();
            var plan = GenerationPlan.Slice(GenerationPlan.Build(SceneList.Expand(p.GetValue(scenes)!), options),
                p.GetValue(shardIndex), p.GetValue(shardCount));
            var writerOptions = new DatasetWriterOptions
            {
                TargetShardBytes = (long)(p.GetValue(shardMb) * 1048576),
                ShardPrefix = p.GetValue(shardCount) > 1 ? $"part{p.GetValue(shardIndex):D3}" : "shard",
            };
            await RunAsync(plan, options, p.GetValue(output)!, writerOptions, p.GetValue(servers) ?? [], ct, SimCommands.SceneUp(p.GetValue(up)), AmbientOcclusion.Parse(p.GetValue(shading)));
            return 0;
        }, ct));
        return command;
    }

    public static async Task<GenerationSummary> RunAsync(IReadOnlyList<SequenceJob> plan, SimGenOptions options, string output,
        DatasetWriterOptions writerOptions, IReadOnlyList<string> servers, CancellationToken ct, string? up = null, SceneShading shading = SceneShading.Ao)
    {
        if (up != null && servers.Count > 0) throw new ArgumentException("--up applies to the embedded simulator; start the --server one with `distdepth sim serve --up`");
        await using var embedded = servers.Count == 0 ? await SimulatorHost.StartAsync(cancellationToken: ct, up: up, shading: shading) : null;
        var addresses = embedded is not null ? [embedded.Address] : servers.Select(ParseServer).ToList();
        await using var writer = DatasetWriter.Open(output, writerOptions);
        var generator = new SimGenerator(options, addresses);
        GenerationSummary summary = null!;
        var clock = Stopwatch.StartNew();
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var pending = plan.Count(j => !writer.Contains(j.SequenceId));
                var task = ctx.AddTask("simgen", maxValue: Math.Max(1, pending * options.Frames));
                var progress = new Progress<long>(n =>
                {
                    task.Increment(n);
                    task.Description = $"simgen {task.Value / Math.Max(clock.Elapsed.TotalSeconds, 1e-3):F1} frames/s";
                });
                summary = await generator.RunAsync(plan, writer, progress, ct);
                task.Value = task.MaxValue;
            });
        AnsiConsole.MarkupLine($"simgen: {summary.Generated} sequences ({summary.Frames} frames) written, {summary.AlreadyDone} already done, " +
                               $"{summary.Retries} retried, {summary.Frames / clock.Elapsed.TotalSeconds:F1} frames/s -> {Markup.Escape(output)}");
        foreach (var (id, reason) in summary.Skipped)
            AnsiConsole.MarkupLine($"[yellow]skipped[/] {Markup.Escape(id)}: {Markup.Escape(reason)}");
        return summary;
    }

    static Uri ParseServer(string hostPort) =>
        Uri.TryCreate($"http://{hostPort}", UriKind.Absolute, out var uri) && uri.Port > 0 && !hostPort.Contains('/')
            ? uri : throw new ArgumentException($"--server '{hostPort}' is not host:port");
}

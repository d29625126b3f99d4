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
        var scenes = new Option<string[]>("--scenes") { Description = "Scene ids, mesh paths, globs ('scenes/*.glb') or 'procedural:N' (N seeded interiors; procedural-v1:N for the first, box rooms); comma-separated or repeated", Required = true, AllowMultipleArgumentsPerToken = true };
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
        var camera = new CameraEffects();
        var exposureMedian = new Option<float?>("--exposure") { Description = $"Typical exposure gain, as auto-exposure brightens a dim room (default {camera.ExposureMedian}; 1 under --shading flat)" };
        var exposureSpread = new Option<float?>("--exposure-spread") { Description = $"Per-sequence exposure, log-normal std-dev (default {camera.ExposureSpread}; 0 under --shading flat)" };
        var whiteBalance = new Option<float?>("--white-balance-spread") { Description = $"Per-sequence white balance, red/blue log-gain std-dev (default {camera.WhiteBalanceSpread}; 0 under --shading flat)" };
        var vignetting = new Option<float?>("--vignetting") { Description = $"Largest corner darkening, each sequence draws U(0, this) (default {camera.VignettingMax}; 0 under --shading flat)" };
        var defocus = new Option<float?>("--defocus") { Description = $"Largest defocus blur sigma in px at 512 wide, each sequence draws U(0, this) (default {camera.DefocusMaxPx}; 0 under --shading flat)" };
        var response = new Option<CameraResponse?>("--response") { Description = $"linear (the renderer's values as they are) or srgb (the curve cameras apply: shadows lifted) (default {camera.Response.ToString().ToLowerInvariant()})" };
        var failing = new Option<double>("--failing-fraction") { Description = "Share of deliberately failing sequences (labelled), to test curation", DefaultValueFactory = _ => d.FailingFraction };
        var seed = new Option<ulong>("--seed") { DefaultValueFactory = _ => d.Seed };
        var servers = new Option<string[]>("--server") { Description = "host:port (or https://host:port) of a running simulator, one session each (repeatable; a habitat server serves one session, so give one entry per process); default: start the embedded one" };
        var serverToken = new Option<string?>("--server-token-file") { Description = "File holding the servers' token (sent as 'authorization: Bearer <token>')" };
        var serverCa = new Option<string?>("--server-ca") { Description = "PEM CA certificate to trust for the servers' TLS; host:port then means https" };
        var workers = new Option<int>("--workers") { Description = "Parallel simulator sessions (at most one per --server entry)", DefaultValueFactory = _ => 2 };
        var shardIndex = new Option<int>("--shard-index") { Description = "This worker's slice of the plan (array jobs)", DefaultValueFactory = _ => 0 };
        var shardCount = new Option<int>("--shard-count") { DefaultValueFactory = _ => 1 };
        var up = SimCommands.UpOption();
        var shading = SimCommands.ShadingOption();
        var shardMb = new Option<double>("--shard-size-mb") { Description = "Target Parquet shard size", DefaultValueFactory = _ => 256 };
        var command = new Command("simgen", "Generate a SimSIN-style stereo dataset; re-run the same command to resume")
        {
            scenes, output, perScene, frames, width, height, hfov, baseline, camHeight, camSpread, mount, noise, exposure,
            exposureMedian, exposureSpread, whiteBalance, vignetting, defocus, response, failing,
            seed, servers, serverToken, serverCa, workers, shardIndex, shardCount, shardMb, up, shading,
        };
        command.SetAction((p, ct) => CommandRunner.RunAsync(async ct =>
        {
            var sceneShading = AmbientOcclusion.Parse(p.GetValue(shading));
            // Flat is the output depth checks were made against: no camera effects unless asked for by name.
            var cameraDefaults = sceneShading == SceneShading.Flat ? CameraEffects.None : camera;
            var options = new SimGenOptions
            {
                SequencesPerScene = p.GetValue(perScene), Frames = p.GetValue(frames), Width = p.GetValue(width), Height = p.GetValue(height),
                HfovDeg = p.GetValue(hfov), BaselineM = p.GetValue(baseline), CameraHeightM = p.GetValue(camHeight),
                CameraHeightSpreadM = p.GetValue(camSpread), MountRotationMaxRad = p.GetValue(mount), RgbNoise = p.GetValue(noise), ExposureJitter = p.GetValue(exposure),
                FailingFraction = p.GetValue(failing), Seed = p.GetValue(seed), Workers = p.GetValue(workers),
                Camera = new CameraEffects
                {
                    ExposureMedian = p.GetValue(exposureMedian) ?? cameraDefaults.ExposureMedian,
                    ExposureSpread = p.GetValue(exposureSpread) ?? cameraDefaults.ExposureSpread,
                    WhiteBalanceSpread = p.GetValue(whiteBalance) ?? cameraDefaults.WhiteBalanceSpread,
                    VignettingMax = p.GetValue(vignetting) ?? cameraDefaults.VignettingMax,
                    DefocusMaxPx = p.GetValue(defocus) ?? cameraDefaults.DefocusMaxPx,
                    Response = p.GetValue(response) ?? cameraDefaults.Response,
                },
            };
            options.Validate();
            var fullPlan = GenerationPlan.Build(SceneList.Expand(p.GetValue(scenes)!), options);
            var plan = GenerationPlan.Slice(fullPlan, p.GetValue(shardIndex), p.GetValue(shardCount));
            var writerOptions = new DatasetWriterOptions
            {
                TargetShardBytes = (long)(p.GetValue(shardMb) * 1048576),
                ShardPrefix = p.GetValue(shardCount) > 1 ? $"part{p.GetValue(shardIndex):D3}" : "shard",
            };
            var access = new SimulatorAccess(
                p.GetValue(serverToken) is { } tokenFile ? ServerCredentials.ReadToken(tokenFile) : null,
                p.GetValue(serverCa) is { } caFile ? ServerCredentials.ReadCa(caFile) : null);
            // An array task says which part of which plan its folder is, and whether it finished, for `dataset merge`.
            var slice = p.GetValue(shardCount) > 1
                ? new DatasetSlice { Index = p.GetValue(shardIndex), Count = p.GetValue(shardCount), Plan = PlanId(fullPlan, options), Finished = false }
                : null;
            slice?.Save(p.GetValue(output)!);
            var summary = await RunAsync(plan, options, p.GetValue(output)!, writerOptions, p.GetValue(servers) ?? [], ct, access,
                SimCommands.SceneUp(p.GetValue(up)), sceneShading);
            if (slice is not null)
                (slice with { Finished = true, Skipped = summary.Skipped.Select(s => s.SequenceId).ToList() }).Save(p.GetValue(output)!);
            return 0;
        }, ct));
        return command;
    }

    public static async Task<GenerationSummary> RunAsync(IReadOnlyList<SequenceJob> plan, SimGenOptions options, string output,
        DatasetWriterOptions writerOptions, IReadOnlyList<string> servers, CancellationToken ct, SimulatorAccess? access = null,
        string? up = null, SceneShading shading = SceneShading.Lit)
    {
        if (up != null && servers.Count > 0) throw new ArgumentException("--up applies to the embedded simulator; start the --server one with `distdepth sim serve --up`");
        // The embedded server loads the mesh files this command was given and no others (it listens on
        // loopback, where other local users can reach it too). It takes many sessions: one entry per worker.
        var meshFiles = plan.Select(j => j.SceneId).Where(id => !SimServer.Scenes.SceneCatalog.IsProcedural(id, out _)).Distinct().ToList();
        await using var embedded = servers.Count == 0
            ? await SimulatorHost.StartAsync(new SimulatorHostOptions { NamedSceneFiles = meshFiles, Up = up, Shading = shading }, ct) : null;
        var addresses = embedded is not null ? Enumerable.Repeat(embedded.Address, options.Workers).ToList()
            : servers.Select(s => ParseServer(s, access?.TrustedCa != null)).ToList();
        if (embedded is null && options.Workers > addresses.Count)
            AnsiConsole.MarkupLine($"[yellow]note[/]: {options.Workers} workers asked, {addresses.Count} --server entries: one session per entry " +
                                   "(a habitat server serves one session; start more processes with server.py --processes N)");
        await using var writer = DatasetWriter.Open(output, writerOptions);
        var generator = new SimGenerator(options, addresses, embedded is not null ? null : access);
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

    /// <summary>The same scenes, settings and seed give the same id on every task; worker counts do not matter.</summary>
    static string PlanId(IReadOnlyList<SequenceJob> fullPlan, SimGenOptions options)
    {
        var text = string.Join("\n", fullPlan.Select(j => $"{j.SequenceId} {j.SceneId} {j.Seed}")) + "\n" + (options with { Workers = 1 });
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16];
    }

    static Uri ParseServer(string server, bool tls)
    {
        var withScheme = server.Contains("://") ? server : $"{(tls ? "https" : "http")}://{server}";
        return Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Port > 0 && uri.PathAndQuery == "/"
            && (server.Contains("://") || !server.Contains('/'))
            ? uri : throw new ArgumentException($"--server '{server}' is not host:port or https://host:port");
    }
}

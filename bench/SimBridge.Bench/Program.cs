using System.Diagnostics;
using DistDepth.Cli.Commands;
using DistDepth.Dataset;
using DistDepth.Sim.V1;
using DistDepth.SimBridge;
using DistDepth.SimServer.Service;
using Grpc.Core;

// simgen end to end (embedded server, gRPC stream, noise + PNG encoding, Parquet) against PNG-encoding
// the very same frames alone, on all cores, in the same run. The goal is simgen >= 0.8x encoding.
int scenes = args.Length > 1 ? int.Parse(args[1]) : 2, perScene = 2, frames = 50, size = args.Length > 0 ? int.Parse(args[0]) : 512;
var options = new SimGenOptions { SequencesPerScene = perScene, Frames = frames, Width = size, Height = size, Workers = 2 };
var plan = GenerationPlan.Build(SceneList.Expand([$"procedural:{scenes}"]), options);
var dir = Path.Combine(Path.GetTempPath(), $"distdepth-simgen-bench-{Guid.NewGuid():N}");

// A short run first, so the timed one measures generation rather than the JIT compiling the pipeline
// (a real run is hours long); the encoding below runs warm too.
var warmUp = GenerationPlan.Build(SceneList.Expand(["procedural:1"]), options with { SequencesPerScene = 1, Frames = 10 });
await SimGenCommand.RunAsync(warmUp, options with { SequencesPerScene = 1, Frames = 10 }, dir + "-warm-up", new DatasetWriterOptions(), [], default);
Directory.Delete(dir + "-warm-up", recursive: true);

var cpu = Process.GetCurrentProcess().TotalProcessorTime;
var e2e = Stopwatch.StartNew();
var summary = await SimGenCommand.RunAsync(plan, options, dir, new DatasetWriterOptions(), [], default);
e2e.Stop();
var e2eCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

// The same frames, fetched raw and kept in memory; only their conversion is timed.
await using var host = await SimulatorHost.StartAsync();
using var connection = await SimulatorConnection.ConnectAsync(host.Address, default);
var raw = new List<(SequenceJob Job, Frame Frame)>();
cpu = Process.GetCurrentProcess().TotalProcessorTime;
foreach (var job in plan)
{
    var session = await connection.SessionForAsync(job.SceneId, default);
    await connection.Client.ConfigureRigAsync(new ConfigureRigRequest
    {
        SessionId = session,
        Rig = new StereoRig { Width = size, Height = size, BaselineM = options.BaselineM, HfovDeg = options.HfovDeg, CameraHeightM = job.CameraHeightM,
                              Outputs = { Output.RgbLeft, Output.RgbRight, Output.DepthLeft } },
    });
    var request = new RunTrajectoryRequest { SessionId = session, Seed = job.Seed, FrameCount = frames, Mode = job.Mode };
    await foreach (var f in connection.RunTrajectoryAsync(request, size, size, DateTime.UtcNow.AddMinutes(5), default)) raw.Add((job, f));
}
var streamCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
cpu = Process.GetCurrentProcess().TotalProcessorTime;
var encode = Stopwatch.StartNew();
var rows = new StereoFrame[raw.Count];
Parallel.For(0, raw.Count, i => rows[i] = FrameConverter.ToStereoFrame(raw[i].Frame, raw[i].Job, options, connection.Info.Name));
encode.Stop();
var encodeCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

// And the encoded frames written alone (Parquet, fsync, SHA-256, manifest), for the breakdown.
cpu = Process.GetCurrentProcess().TotalProcessorTime;
await using (var writer = DatasetWriter.Open(dir + "-write", new DatasetWriterOptions()))
{
    foreach (var sequence in rows.Zip(raw).GroupBy(r => r.Second.Job.SequenceId))
    {
        var w = writer.BeginSequence(sequence.First().Second.Job.SceneId, sequence.Key);
        foreach (var (row, _) in sequence) w.Append(row);
        await w.CompleteAsync();
    }
}
var writeCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
Directory.Delete(dir + "-write", recursive: true);

double simgenFps = summary.Frames / e2e.Elapsed.TotalSeconds, encodeFps = raw.Count / encode.Elapsed.TotalSeconds;
Console.WriteLine($"{summary.Frames} frames of {size}x{size} stereo RGB + depth, {Environment.ProcessorCount} cores");
Console.WriteLine($"simgen end to end:          {simgenFps,7:F1} frames/s");
Console.WriteLine($"noise + PNG encoding alone: {encodeFps,7:F1} frames/s");
Console.WriteLine($"CPU per frame: simgen {e2eCpu.TotalMilliseconds / summary.Frames:F1} ms, encoding alone {encodeCpu.TotalMilliseconds / raw.Count:F1} ms");
Console.WriteLine($"  breakdown: streaming the raw frames {streamCpu.TotalMilliseconds / raw.Count:F1} ms, writing the encoded frames {writeCpu.TotalMilliseconds / raw.Count:F1} ms");
Console.WriteLine($"ratio:                      {simgenFps / encodeFps,7:F2} (goal >= 0.80)");
Directory.Delete(dir, recursive: true);

using System.Diagnostics;
using DistDepth.Cli.Commands;
using DistDepth.Dataset;
using DistDepth.Sim.V1;
using DistDepth.SimBridge;
using DistDepth.SimServer.Service;
using Grpc.Core;

// simgen end to end (embedded server, gRPC stream, noise + PNG encoding, Parquet) against PNG-encoding
// the very same frames alone, on all cores, in the same run. The goal is simgen >= 0.8x encoding.
int scenes = 2, perScene = 2, frames = 30, size = args.Length > 0 ? int.Parse(args[0]) : 512;
var options = new SimGenOptions { SequencesPerScene = perScene, Frames = frames, Width = size, Height = size };
var plan = GenerationPlan.Build(SceneList.Expand([$"procedural:{scenes}"]), options);
var dir = Path.Combine(Path.GetTempPath(), $"distdepth-simgen-bench-{Guid.NewGuid():N}");

var cpu = Process.GetCurrentProcess().TotalProcessorTime;
var e2e = Stopwatch.StartNew();
var summary = await SimGenCommand.RunAsync(plan, options, dir, new DatasetWriterOptions(), [], default);
e2e.Stop();
var e2eCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

// The same frames, fetched raw and kept in memory; only their conversion is timed.
await using var host = await SimulatorHost.StartAsync();
using var connection = await SimulatorConnection.ConnectAsync(host.Address, default);
var raw = new List<(SequenceJob Job, Frame Frame)>();
foreach (var job in plan)
{
    var session = await connection.SessionForAsync(job.SceneId, default);
    await connection.Client.ConfigureRigAsync(new ConfigureRigRequest
    {
        SessionId = session,
        Rig = new StereoRig { Width = size, Height = size, BaselineM = options.BaselineM, HfovDeg = options.HfovDeg, CameraHeightM = job.CameraHeightM,
                              Outputs = { Output.RgbLeft, Output.RgbRight, Output.DepthLeft } },
    });
    using var call = connection.Client.RunTrajectory(new RunTrajectoryRequest { SessionId = session, Seed = job.Seed, FrameCount = frames, Mode = job.Mode });
    await foreach (var f in call.ResponseStream.ReadAllAsync()) raw.Add((job, f));
}
cpu = Process.GetCurrentProcess().TotalProcessorTime;
var encode = Stopwatch.StartNew();
Parallel.ForEach(raw, r => FrameConverter.ToStereoFrame(r.Frame, r.Job, options, connection.Info.Name));
encode.Stop();
var encodeCpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;

double simgenFps = summary.Frames / e2e.Elapsed.TotalSeconds, encodeFps = raw.Count / encode.Elapsed.TotalSeconds;
Console.WriteLine($"{summary.Frames} frames of {size}x{size} stereo RGB + depth, {Environment.ProcessorCount} cores");
Console.WriteLine($"simgen end to end:          {simgenFps,7:F1} frames/s");
Console.WriteLine($"noise + PNG encoding alone: {encodeFps,7:F1} frames/s");
Console.WriteLine($"CPU per frame: simgen {e2eCpu.TotalMilliseconds / summary.Frames:F1} ms, encoding alone {encodeCpu.TotalMilliseconds / raw.Count:F1} ms");
Console.WriteLine($"ratio:                      {simgenFps / encodeFps,7:F2} (goal >= 0.80)");
Directory.Delete(dir, recursive: true);

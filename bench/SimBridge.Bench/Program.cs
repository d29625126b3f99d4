using System.Diagnostics;
using DistDepth.Cli.Commands;
using DistDepth.Dataset;
using DistDepth.Sim.V1;
using DistDepth.SimBridge;
using DistDepth.SimServer.Service;

// simgen end to end (embedded server, frames through the shared-memory ring, noise + PNG encoding,
// Parquet) against noise + PNG encoding of the very same frames alone, on all cores, in the same run.
// The goal is simgen >= 0.8x encoding. The two alternate round by round, so both see the same
// background load on a shared machine, and the ratio is the median of the rounds' ratios.
// The plan has SimSIN's proportions (~250 stereo frames per scene, 50-frame sequences), so loading a
// scene weighs on each frame as it does in a real run.
// Usage: dotnet run -c Release --project bench/SimBridge.Bench [-- SIZE SCENES ROUNDS [GENERATOR]]
//        GENERATOR: procedural (the interiors, with the camera model; default) or procedural-v1 (the
//        first-generation rooms without it: simgen's work before issue 19, on today's encoder)
//        ... -- codec [SIZE ROUNDS]: the PNG encoder alone (CodecBench.cs)
//        ... -- previous PREVIOUS_DISTDEPTH_DLL [ROUNDS SCENES]: against an older simgen (PreviousSimgenBench.cs)
if (args is ["codec", .. var codecArgs]) { await CodecBench.RunAsync(codecArgs); return; }
if (args is ["previous", .. var previousArgs]) { await PreviousSimgenBench.RunAsync(previousArgs); return; }
int size = args.Length > 0 ? int.Parse(args[0]) : 512, scenes = args.Length > 1 ? int.Parse(args[1]) : 2;
int rounds = args.Length > 2 ? int.Parse(args[2]) : 5, perScene = 5, frames = 50;
var generator = args.Length > 3 ? args[3] : "procedural";
if (generator is not ("procedural" or "procedural-v1")) throw new ArgumentException($"generator {generator}: procedural or procedural-v1");
var options = new SimGenOptions
{
    SequencesPerScene = perScene, Frames = frames, Width = size, Height = size, Workers = 2,
    Camera = generator == "procedural" ? new CameraEffects() : CameraEffects.None,
};
var plan = GenerationPlan.Build(SceneList.Expand([$"{generator}:{scenes}"]), options);
var dir = Path.Combine(Path.GetTempPath(), $"distdepth-simgen-bench-{Guid.NewGuid():N}");
static TimeSpan Cpu() => Process.GetCurrentProcess().TotalProcessorTime;

// The same frames, fetched raw and kept in memory for the encoding-alone rounds.
var raw = await RawFrames.FetchAsync(plan, options, Output.RgbLeft, Output.RgbRight, Output.DepthLeft);

// One untimed round of each first: the JIT takes a few hundred frames to settle the pipeline on
// optimised code, and what matters for a real run (hours long) is its steady state.
await SimGenCommand.RunAsync(plan, options, dir, new DatasetWriterOptions(), [], default);
Directory.Delete(dir, recursive: true);
Parallel.For(0, raw.Count, i => FrameConverter.ToStereoFrame(ReceivedFrame.Of(raw[i].Frame), raw[i].Job, options, "embedded"));

Console.WriteLine($"{raw.Count} frames of {size}x{size} stereo RGB + depth ({generator}), {Environment.ProcessorCount} cores, {rounds} alternating rounds");
Console.WriteLine("round | simgen frames/s | encoding alone frames/s | ratio | CPU ms/frame simgen / encoding | JIT ms during simgen");
var ratios = new List<double>();
StereoFrame[] rows = [];
for (int round = 1; round <= rounds; round++)
{
    var cpu = Cpu();
    var jit = System.Runtime.JitInfo.GetCompilationTime();
    var clock = Stopwatch.StartNew();
    var summary = await SimGenCommand.RunAsync(plan, options, dir, new DatasetWriterOptions(), [], default);
    double simgenFps = summary.Frames / clock.Elapsed.TotalSeconds, simgenCpu = (Cpu() - cpu).TotalMilliseconds / summary.Frames;
    var simgenJit = (System.Runtime.JitInfo.GetCompilationTime() - jit).TotalMilliseconds;
    Directory.Delete(dir, recursive: true);

    cpu = Cpu();
    clock.Restart();
    rows = new StereoFrame[raw.Count];
    Parallel.For(0, raw.Count, i => rows[i] = FrameConverter.ToStereoFrame(ReceivedFrame.Of(raw[i].Frame), raw[i].Job, options, "embedded"));
    double encodeFps = raw.Count / clock.Elapsed.TotalSeconds, encodeCpu = (Cpu() - cpu).TotalMilliseconds / raw.Count;

    ratios.Add(simgenFps / encodeFps);
    Console.WriteLine($"{round,5} | {simgenFps,15:F1} | {encodeFps,23:F1} | {ratios[^1],5:F2} | {simgenCpu:F1} / {encodeCpu:F1} | {simgenJit:F0}");
}

// The encoded frames written alone (Parquet, fsync, SHA-256, manifest), for the breakdown.
var writeStart = Cpu();
await using (var writer = DatasetWriter.Open(dir, new DatasetWriterOptions()))
{
    foreach (var sequence in rows.Zip(raw).GroupBy(r => r.Second.Job.SequenceId))
    {
        var w = writer.BeginSequence(sequence.First().Second.Job.SceneId, sequence.Key);
        foreach (var (row, _) in sequence) w.Append(row);
        await w.CompleteAsync();
    }
}
var writeCpu = Cpu() - writeStart;
Directory.Delete(dir, recursive: true);

ratios.Sort();
Console.WriteLine($"CPU ms/frame of writing the encoded frames alone (Parquet, SHA-256, fsync): {writeCpu.TotalMilliseconds / raw.Count:F1}");
Console.WriteLine($"ratio, median of {rounds} rounds: {ratios[rounds / 2]:F2} (range {ratios[0]:F2}-{ratios[^1]:F2}; goal >= 0.80)");

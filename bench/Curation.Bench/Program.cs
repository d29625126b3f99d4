// Curation throughput against its floor: the same frames read and their PNGs (left RGB + depth, the
// images curation looks at) decoded in parallel, with nothing else done. Goal: curation >= 0.8 of it.
// Usage: dotnet run -c Release --project bench/Curation.Bench [DATASET_DIR]
// Without a folder it generates one with simgen (procedural:4, 2 sequences each, 40 frames, 256x256, 30% failing).
using System.Diagnostics;
using DistDepth.Cli.Commands;
using DistDepth.Curation;
using DistDepth.Dataset;
using DistDepth.SimBridge;

string dir = args.Length > 0 ? args[0] : await GenerateAsync();
var reader = DatasetReader.Open(dir);
long frames = reader.Manifest.FrameCount;
Console.WriteLine($"dataset {dir}: {frames} frames, {reader.Manifest.Sequences.Count()} sequences, {Environment.ProcessorCount} cores");

await DecodeOnlyAsync(reader); // warm-up: JIT, page cache
// Alternating pairs on a shared machine: each pair's ratio sees the same background load.
const int Pairs = 5;
var decode = new List<double>();
var curate = new List<double>();
for (int run = 0; run < Pairs; run++)
{
    decode.Add(frames / await TimeAsync(() => DecodeOnlyAsync(reader)));
    curate.Add(frames / await TimeAsync(() => CurationRun.RunAsync(dir, new CurationConfig())));
}
static double Median(IEnumerable<double> xs) => xs.Order().ElementAt(Pairs / 2);
Console.WriteLine($"decode only : {Median(decode),8:F1} frames/s (median; runs {string.Join(", ", decode.Select(x => x.ToString("F1")))})");
Console.WriteLine($"curation    : {Median(curate),8:F1} frames/s (median; runs {string.Join(", ", curate.Select(x => x.ToString("F1")))})");
Console.WriteLine($"ratio       : {Median(curate.Zip(decode, (c, d) => c / d)):F2} (median of the {Pairs} pairs' ratios; goal >= 0.8)");

static async Task<double> TimeAsync(Func<Task> body)
{
    var clock = Stopwatch.StartNew();
    await body();
    return clock.Elapsed.TotalSeconds;
}

// The same reading order and parallel shape as CurationRun, minus hashing and measuring.
static async Task DecodeOnlyAsync(DatasetReader reader)
{
    foreach (var sequence in reader.Sequences)
    {
        var frames = await reader.ReadSequenceAsync(sequence.SequenceId);
        Parallel.For(0, frames.Count, i =>
        {
            ImageCodec.DecodeRgb(frames[i].Left);
            if (frames[i].Depth is { } depth) ImageCodec.DecodeUInt16(depth, out _, out _);
        });
    }
}

static async Task<string> GenerateAsync()
{
    var dir = Path.Combine(Path.GetTempPath(), "distdepth-bench", "curation-256");
    if (File.Exists(DatasetManifest.PathIn(dir))) return dir;
    var options = new SimGenOptions { SequencesPerScene = 2, Frames = 40, Width = 256, Height = 256, FailingFraction = 0.3, Seed = 2, Workers = 2 };
    await SimGenCommand.RunAsync(GenerationPlan.Build(SceneList.Expand(["procedural:4"]), options), options, dir, new DatasetWriterOptions(), [], default);
    return dir;
}

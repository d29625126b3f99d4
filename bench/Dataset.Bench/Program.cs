using System.Diagnostics;
using System.Text.Json.Nodes;
using DistDepth.Dataset;
using Spectre.Console;

// Dataset throughput at SimSIN's 512x512: our writer, our reader (with and without PNG decoding),
// and DuckDB reading the very same files, side by side in one run.
int sequences = args.Length > 0 ? int.Parse(args[0]) : 8, framesPerSequence = 50, size = 512;
var dir = Path.Combine(Path.GetTempPath(), $"distdepth-bench-{Guid.NewGuid():N}");

// Encode a pool of real frames once, so the timings are of the dataset layer, not of rendering.
var pool = new SyntheticRoom(0, size, size).Sequence(0, 10).ToArray();
long frames = sequences * framesPerSequence;

var write = Stopwatch.StartNew();
await using (var writer = DatasetWriter.Open(dir))
    for (int s = 0; s < sequences; s++)
    {
        var seq = writer.BeginSequence("room0", $"seq{s:D3}");
        for (int i = 0; i < framesPerSequence; i++) seq.Append(pool[i % pool.Length] with { FrameIndex = i });
        await seq.CompleteAsync();
    }
write.Stop();
double mib = DatasetManifest.Load(dir).Shards.Sum(s => s.Bytes) / 1048576.0;

var read = Stopwatch.StartNew();
long n = 0;
await foreach (var _ in DatasetReader.Open(dir).ReadAllAsync()) n++;
read.Stop();

var decode = Stopwatch.StartNew();
await foreach (var f in DatasetReader.Open(dir).ReadAllAsync())
{
    ImageCodec.DecodeRgb(f.Left);
    ImageCodec.DecodeRgb(f.Right!);
    ImageCodec.DecodeDepth(f.Depth!);
}
decode.Stop();

var duck = DuckDbFullRead(dir);

var table = new Table().AddColumns("512x512 stereo + depth", "frames/s", "MiB/s");
void Row(string what, double seconds) => table.AddRow(what, $"{frames / seconds:F0}", $"{mib / seconds:F0}");
Row("write (PNG already encoded)", write.Elapsed.TotalSeconds);
Row("read, our reader", read.Elapsed.TotalSeconds);
Row("read + decode PNGs, our reader", decode.Elapsed.TotalSeconds);
if (duck is { } d) Row("read, DuckDB (node) full scan", d);
AnsiConsole.MarkupLine($"{frames} frames ({sequences} x {framesPerSequence}), {mib:F0} MiB in {DatasetManifest.Load(dir).Shards.Count} shards, {Environment.ProcessorCount} cores");
AnsiConsole.Write(table);
if (n != frames) throw new InvalidOperationException($"read {n} of {frames} frames");
Directory.Delete(dir, recursive: true);

static double? DuckDbFullRead(string dir)
{
    var tool = FindUp("tools/duckdb");
    if (!Directory.Exists(Path.Combine(tool, "node_modules")))
        Process.Start(new ProcessStartInfo("npm", "ci --no-audit --no-fund --silent") { WorkingDirectory = tool })!.WaitForExit();
    var info = new ProcessStartInfo("node") { WorkingDirectory = tool, RedirectStandardOutput = true };
    info.ArgumentList.Add("read_shards.mjs");
    info.ArgumentList.Add(dir);
    using var p = Process.Start(info)!;
    var json = p.StandardOutput.ReadToEnd();
    p.WaitForExit();
    return p.ExitCode == 0 ? (double)JsonNode.Parse(json)!["full_read_seconds"]! : null;
}

static string FindUp(string relative)
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        if (Directory.Exists(Path.Combine(d.FullName, relative))) return Path.Combine(d.FullName, relative);
    throw new DirectoryNotFoundException($"{relative} not found above {AppContext.BaseDirectory}");
}

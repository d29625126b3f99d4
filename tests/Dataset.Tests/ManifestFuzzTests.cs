using System.Text.Json.Nodes;
using DistDepth.Cli;
using DistDepth.Dataset;

namespace DistDepth.Dataset.Tests;

// The in-process runs below swap Console.Error, which is process-wide.
[CollectionDefinition(nameof(ManifestFuzzTests), DisableParallelization = true)]
public sealed class ManifestFuzzCollection;

/// <summary>
/// Issue 12, acceptance 2 (the manifest half): every field of a real manifest nulled, negated, made
/// huge, given the wrong type or removed, and each variant run through every verb that reads a
/// dataset. No verb may crash (exit 2, "unexpected"), print a stack trace, or change a file outside
/// the variant's own folder. The verbs run in-process: the same command tree as the CLI, hundreds of
/// times faster than a process per run.
/// </summary>
[Collection(nameof(ManifestFuzzTests))]
public class ManifestFuzzTests
{
    static readonly JsonNode?[] Replacements =
    [
        null, -1, int.MaxValue, long.MaxValue, 1e300, "x", "", true, new JsonObject(),
        "../sentinel/shards/shard-00000.parquet", "/etc/hostname",
    ];

    [Fact]
    public async Task NoManifestVariantCrashesAVerbOrTouchesAnotherFolder()
    {
        var root = TempFolder.New("fuzz");
        var pristine = await TestData.WriteDatasetAsync("fuzz-base", scenes: 2, sequences: 2, frames: 4, size: 64);
        var sentinel = Path.Combine(root, "sentinel");
        CopyFolder(pristine, sentinel);
        File.WriteAllText(Path.Combine(sentinel, "shards", "notes.txt"), "not the dataset's");
        var model = Path.Combine(root, "model");
        var (trained, trainError) = await RunAsync(TrainArgs(pristine, model));
        Assert.True(trained == 0, trainError);
        var guarded = new[] { sentinel, pristine, model }.ToDictionary(d => d, TreeHash.Of);

        var original = JsonNode.Parse(File.ReadAllText(DatasetManifest.PathIn(pristine)))!;
        var variants = Variants(original).ToList();
        Assert.True(variants.Count >= 200, $"only {variants.Count} variants");
        var failures = new List<string>();
        int n = 0, loadable = 0;
        foreach (var (description, manifest) in variants)
        {
            var dir = Path.Combine(root, $"v{n++:D4}");
            CopyFolder(pristine, dir);
            File.WriteAllText(DatasetManifest.PathIn(dir), manifest);
            // A variant that still loads only renamed something: training and evaluating it is real
            // work (a checkpoint each), so those two verbs see the first few such variants, not all.
            bool fullRun = !Loads(dir) || loadable++ < 6;
            foreach (var verb in Verbs(dir, model).Where(v => fullRun || v[0] is not ("train" or "evaluate")))
            {
                var (exit, stderr) = await RunAsync(verb);
                if (exit is not (0 or 1) || stderr.Contains("unexpected") || stderr.Contains("   at "))
                    failures.Add($"{description} | {string.Join(' ', verb.Take(2))}: exit {exit}: {stderr.Trim()}");
            }
            Directory.Delete(dir, recursive: true);
        }
        Assert.True(failures.Count == 0, $"{failures.Count} crashes, e.g.:\n{string.Join('\n', failures.Take(20))}");
        foreach (var (dir, hash) in guarded) Assert.Equal(hash, TreeHash.Of(dir));
    }

    static bool Loads(string dir)
    {
        try
        {
            DatasetManifest.Load(dir);
            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>Each leaf of the manifest (and each object and array) replaced by each value in turn, or removed.</summary>
    static IEnumerable<(string Description, string Json)> Variants(JsonNode original)
    {
        var paths = new List<string[]>();
        void Walk(JsonNode? node, string[] path)
        {
            if (path.Length > 0) paths.Add(path);
            if (node is JsonObject o) foreach (var (key, child) in o) Walk(child, [.. path, key]);
            // Every sequence of a shard has the same fields: the first two are enough to cover them.
            else if (node is JsonArray a) for (int i = 0; i < Math.Min(a.Count, 2); i++) Walk(a[i], [.. path, i.ToString()]);
        }
        Walk(original, []);
        foreach (var path in paths)
        {
            foreach (var value in Replacements)
                yield return ($"{string.Join('.', path)} = {value?.ToJsonString() ?? "null"}", With(original, path, n => Set(n, path[^1], value?.DeepClone())));
            yield return ($"{string.Join('.', path)} removed", With(original, path, n => Remove(n, path[^1])));
        }
    }

    static string With(JsonNode original, string[] path, Action<JsonNode> edit)
    {
        var copy = original.DeepClone();
        var parent = path[..^1].Aggregate(copy, (node, key) => node is JsonArray a ? a[int.Parse(key)]! : node[key]!);
        edit(parent);
        return copy.ToJsonString();
    }

    static void Set(JsonNode parent, string key, JsonNode? value)
    {
        if (parent is JsonArray a) a[int.Parse(key)] = value;
        else parent[key] = value;
    }

    static void Remove(JsonNode parent, string key)
    {
        if (parent is JsonArray a) a.RemoveAt(int.Parse(key));
        else parent.AsObject().Remove(key);
    }

    static string[] TrainArgs(string data, string run) =>
        ["train", "--data", data, "--out", run, "--no-distill", "--width", "64", "--height", "64", "--batch-size", "2",
         "--max-steps", "1", "--encoder", "18", "--pose-encoder", "18", "--threads", "1"];

    static IEnumerable<string[]> Verbs(string dir, string model) =>
    [
        ["dataset", "info", dir],
        ["dataset", "verify", dir],
        ["dataset", "export", dir, "--sequence", "room0-seq0", "--out", Path.Combine(dir, "export")],
        ["dataset", "merge", dir, "--out", Path.Combine(dir, "merged")],
        ["dataset", "synth", "--out", dir, "--scenes", "1", "--sequences-per-scene", "1", "--frames", "3", "--size", "32"],
        ["curate", dir],
        ["expert", dir, "--expert", "sim-oracle"],
        TrainArgs(dir, Path.Combine(dir, "run")),
        ["evaluate", "--model", model, "--data", dir, "--sequences", "room0-seq0"],
    ];

    static async Task<(int Exit, string Stderr)> RunAsync(string[] args)
    {
        var error = new StringWriter();
        var saved = Console.Error;
        Console.SetError(error);
        try
        {
            return (await CliRoot.Create().Parse(args).InvokeAsync(new System.CommandLine.InvocationConfiguration { Error = error, Output = TextWriter.Null }), error.ToString());
        }
        finally
        {
            Console.SetError(saved);
        }
    }

    static void CopyFolder(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}

using System.Text.Json.Nodes;
using DistDepth.Dataset;

namespace DistDepth.Curation.Tests;

/// <summary>The verb end to end in its own process: one clear error line for bad input; curation.json for consumers.</summary>
public class CurateCliTests
{
    /// <summary>A small copy of part of the planted set, so a test may damage it.</summary>
    static async Task<string> SmallCopyAsync(params string[] labels)
    {
        var set = await PlantedSet.GetAsync();
        var reader = DatasetReader.Open(set.Directory);
        var dir = TempFolder.New("small");
        await using var writer = DatasetWriter.Open(dir);
        foreach (var entry in labels.Select(l => reader.Sequences.OrderBy(s => s.SequenceId).First(s => set.Labels[s.SequenceId] == l)))
        {
            var sequence = writer.BeginSequence(entry.SceneId, entry.SequenceId);
            foreach (var f in await reader.ReadSequenceAsync(entry.SequenceId)) sequence.Append(f);
            await sequence.CompleteAsync();
        }
        return dir;
    }

    [Fact]
    public async Task ADatasetThatFailsVerifyIsRefusedWithOneLineNamingTheShard()
    {
        var dir = await SmallCopyAsync("Navigate", "StareAtWall");
        var shard = Directory.GetFiles(Path.Combine(dir, "shards"), "*.parquet").Single();
        using (var f = new FileStream(shard, FileMode.Open)) { f.Position = f.Length / 2; f.WriteByte(0x5A); }

        var (code, _, stderr) = DistDepthCli.Run("curate", dir);
        Assert.Equal(1, code);
        Assert.StartsWith($"error: {shard}: SHA-256 differs from the manifest (bytes changed since writing)", stderr.Trim());
        Assert.EndsWith($"the dataset fails verification; `distdepth dataset verify {dir}` lists every problem", stderr.Trim());
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.False(File.Exists(CuratedManifest.PathIn(dir)), "no verdicts on damaged data");
    }

    [Fact]
    public async Task ABadConfigIsRefusedWithOneLineNamingKeyAndFile()
    {
        var dir = await SmallCopyAsync("Navigate");
        var config = Path.Combine(dir, "bad.yaml");
        File.WriteAllText(config, "sequence:\n  min_travel_m: -0.2\n");
        var (code, _, stderr) = DistDepthCli.Run("curate", dir, "--config", config);
        Assert.Equal(1, code);
        Assert.Equal($"error: {config}: sequence.min_travel_m is -0.2; it must be between 0 and any positive value", stderr.Trim());
    }

    [Fact]
    public async Task CurateWritesVerdictsThatTheReaderApiAndDatasetExportUse()
    {
        var dir = await SmallCopyAsync("Navigate", "WalkIntoWall", "StareAtWall", "Frozen");
        var shardsBefore = Directory.GetFiles(Path.Combine(dir, "shards")).ToDictionary(f => f, File.ReadAllBytes);
        var (code, stdout, stderr) = DistDepthCli.Run("curate", dir, "--report", Path.Combine(dir, "review.html"));
        Assert.True(code == 0, stderr);
        Assert.Contains("rejected", stdout);
        Assert.True(File.Exists(Path.Combine(dir, "review.html")));
        Assert.All(shardsBefore, kv => Assert.Equal(kv.Value, File.ReadAllBytes(kv.Key)));
        Assert.True((await DatasetVerifier.VerifyAsync(dir)).Ok);

        var curated = CuratedManifest.Load(dir);
        var set = await PlantedSet.GetAsync();
        Assert.Equal(curated.Sequences.Where(s => !set.IsFailure(s.SequenceId)).Select(s => s.SequenceId), curated.AcceptedSequences);
        var rejected = curated.Rejected.First(s => set.Labels[s.SequenceId] == "StareAtWall");
        Assert.Equal(rejected.Frames, curated.FlaggedFrames(rejected.SequenceId).Count);

        var outDir = Path.Combine(dir, "export");
        (code, stdout, stderr) = DistDepthCli.Run("dataset", "export", dir, "--sequence", rejected.SequenceId, "--out", outDir);
        Assert.True(code == 0, stderr);
        Assert.Contains("curation: rejected", stdout);
        var verdict = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "verdict.json")))!;
        Assert.False((bool)verdict["accepted"]!);
        Assert.Equal(rejected.Reasons[0].Check, (string)verdict["reasons"]![0]!["check"]!);

        // Growing the dataset makes the verdicts stale: consumers are told, not misled.
        await using (var writer = DatasetWriter.Open(dir))
        {
            var extra = writer.BeginSequence("extra", "extra-seq");
            extra.Append((await DatasetReader.Open(dir).ReadSequenceAsync(rejected.SequenceId))[0] with { SequenceId = "" });
            await extra.CompleteAsync();
        }
        var stale = Assert.Throws<InvalidDataException>(() => CuratedManifest.Load(dir));
        Assert.Contains("changed since it was curated", stale.Message);
    }
}

using DistDepth.Dataset;
using static DistDepth.Expert.Tests.ExpertFrames;

namespace DistDepth.Expert.Tests;

public class ExpertCrashTests
{
    const int Sequences = 12, Frames = 16;

    static string[] Command(string dir) =>
        ["expert", dir, "--model", TinyExpertModel.Dynamic, "--preset", "midas-small", "--input-size", "256"];

    static (string, string) Identity(ShardEntry shard) => (shard.File, shard.Sha256);

    [Fact]
    public async Task SigkillMidRunLeavesEveryShardWholeAndAReRunFinishesWithoutRecomputing()
    {
        var dir = await TestData.WriteDatasetAsync("expert-kill", scenes: 3, sequences: Sequences / 3, frames: Frames, size: 128,
            new DatasetWriterOptions { TargetShardBytes = 1 });
        var sequences = DatasetManifest.Load(dir).Sequences.ToList();
        var manifestPath = DatasetManifest.PathIn(dir);
        using (var child = DistDepthCli.Start(Command(dir)))
        {
            // Kill once a shard has been replaced and the next one is being written.
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (!(File.ReadAllText(manifestPath).Contains(".v1.parquet")
                     && Directory.EnumerateFiles(Path.Combine(dir, DatasetWriter.ShardFolder), "*.tmp").Any()))
            {
                if (child.HasExited) Assert.Fail($"expert ended before the kill: {child.StandardError.ReadToEnd()}");
                Assert.True(DateTime.UtcNow < deadline, "no shard was replaced in time");
                await Task.Delay(2);
            }
            child.Kill();
            await child.WaitForExitAsync();
        }
        var killed = DatasetManifest.Load(dir);
        var done = killed.Shards.Where(s => s.File.EndsWith(".v1.parquet")).Select(Identity).ToList();
        Assert.InRange(done.Count, 1, Sequences - 1);
        Assert.Equal(sequences, killed.Sequences);
        var report = await DatasetVerifier.VerifyAsync(dir);
        Assert.True(report.Ok, string.Join("\n", report.Problems));

        var again = DistDepthCli.Run(Command(dir));
        Assert.True(again.Exit == 0, again.Stderr);
        var finished = DatasetManifest.Load(dir);
        Assert.Equal(sequences, finished.Sequences);
        Assert.Equal(Sequences * Frames, finished.FrameCount);
        Assert.All(finished.Shards, s => Assert.EndsWith(".v1.parquet", s.File));
        Assert.All(done, s => Assert.Contains(s, finished.Shards.Select(Identity)));
        AssertOnlyListedShards(dir);
        Assert.True((await DatasetVerifier.VerifyAsync(dir)).Ok);
        Assert.All(await ReadAllAsync(dir), f => Decode(f));
    }

    [Fact]
    public async Task AWriterResumingARewrittenDatasetAddsShardsUnderFreshNames()
    {
        var dir = await TestData.WriteDatasetAsync("expert-then-write", scenes: 1, sequences: 2, frames: 2, size: 32,
            new DatasetWriterOptions { TargetShardBytes = 1 });
        Assert.Equal(0, DistDepthCli.Run(Command(dir)).Exit);
        var rewritten = DatasetManifest.Load(dir).Shards.Select(Identity).ToList();

        await using (var writer = DatasetWriter.Open(dir, new DatasetWriterOptions { TargetShardBytes = 1 }))
        {
            var sequence = writer.BeginSequence("room9", "room9-seq0");
            foreach (var f in new SyntheticRoom(9, 32, 32).Sequence(0, 2)) sequence.Append(f);
            await sequence.CompleteAsync();
        }
        var grown = DatasetManifest.Load(dir).Shards;
        Assert.Equal(rewritten, grown.Take(2).Select(Identity));
        Assert.Equal("shards/shard-00002.parquet", grown[2].File);

        // Only the new shard lacks this expert's maps.
        Assert.Equal(0, DistDepthCli.Run(Command(dir)).Exit);
        var final = DatasetManifest.Load(dir).Shards;
        Assert.Equal(rewritten, final.Take(2).Select(Identity));
        Assert.Equal("shards/shard-00002.v1.parquet", final[2].File);
        AssertOnlyListedShards(dir);
        Assert.True((await DatasetVerifier.VerifyAsync(dir)).Ok);
    }

    [Fact]
    public async Task ExpertOnAMergedDatasetLeavesTheHardLinkedSourcesIntact()
    {
        var source = await TestData.WriteDatasetAsync("expert-merge-source", scenes: 1, sequences: 2, frames: 2, size: 32);
        var merged = Path.Combine(TempFolder.New("expert-merge"), "merged");
        DatasetMerger.Merge([source], merged);
        var sourceShards = ShardsOf(source);

        Assert.Equal(0, DistDepthCli.Run(Command(merged)).Exit);
        Assert.All(await ReadAllAsync(merged), f => Decode(f));
        Assert.Equal(sourceShards, ShardsOf(source));
        Assert.True((await DatasetVerifier.VerifyAsync(source)).Ok);
        Assert.All(await ReadAllAsync(source), f => Assert.Null(f.Expert));
    }
}

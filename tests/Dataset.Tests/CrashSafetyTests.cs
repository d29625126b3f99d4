using DistDepth.Dataset;

namespace DistDepth.Dataset.Tests;

public class CrashSafetyTests
{
    // Long enough (a few seconds) that the kill lands while a shard is half-written, however fast the machine.
    const int Sequences = 8 * 3;
    static readonly string[] Plan = ["--scenes", "8", "--sequences-per-scene", "3", "--frames", "24", "--size", "96", "--shard-size-mb", "1.2"];

    [Fact]
    public async Task SigkillMidShardLosesNothingFinishedAndAResumeCompletesTheSet()
    {
        var dir = TempFolder.New("crash");
        var shards = Path.Combine(dir, DatasetWriter.ShardFolder);
        using (var child = DistDepthCli.Start([.. Plan.Prepend(dir).Prepend("--out").Prepend("synth").Prepend("dataset")]))
        {
            // Wait for a finished shard *and* a half-written one, then kill without warning.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!(TestData.ListsAShard(dir) && Directory.EnumerateFiles(shards, "*.tmp").Any()))
            {
                Assert.False(child.HasExited, "synth finished before it could be killed mid-shard: enlarge the plan");
                Assert.True(DateTime.UtcNow < deadline, "no shard appeared in time");
                await Task.Delay(5);
            }
            child.Kill(); // SIGKILL on Unix
            await child.WaitForExitAsync();
        }
        Assert.NotEmpty(Directory.EnumerateFiles(shards, "*.tmp"));

        var report = await DatasetVerifier.VerifyAsync(dir);
        Assert.True(report.Ok, string.Join("\n", report.Problems));
        var listed = DatasetManifest.Load(dir).Sequences.ToList();
        Assert.NotEmpty(listed);
        Assert.All(listed, s => Assert.Equal(24, s.Frames));
        Assert.Equal(listed.Count, listed.Select(s => s.SequenceId).Distinct().Count());
        Assert.True(listed.Count < Sequences, "everything was finished before the kill");

        var resumed = DistDepthCli.Run([.. Plan.Prepend(dir).Prepend("--out").Prepend("synth").Prepend("dataset")]);
        Assert.Equal(0, resumed.Exit);
        var manifest = DatasetManifest.Load(dir);
        Assert.Equal(Sequences, manifest.Sequences.Select(s => s.SequenceId).Distinct().Count());
        Assert.Equal(Sequences, manifest.Sequences.Count());
        Assert.Equal(Sequences * 24, manifest.FrameCount);
        // What was finished before the kill is untouched by the resume.
        Assert.All(listed, s => Assert.Contains(s, manifest.Sequences));
        Assert.Empty(Directory.EnumerateFiles(shards, "*.tmp"));
        Assert.True((await DatasetVerifier.VerifyAsync(dir)).Ok);
    }
}

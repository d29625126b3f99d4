using DistDepth.Dataset;

namespace DistDepth.SimBridge.Tests;

public class SimGenCrashTests
{
    static readonly string[] Plan = ["simgen", "--scenes", "procedural:3", "--sequences-per-scene", "3", "--frames", "30",
        "--width", "128", "--height", "128", "--shard-size-mb", "4", "--workers", "1"];

    [Fact]
    public async Task KilledSimgenResumesToACompleteDatasetWithoutDuplicates()
    {
        var dir = TempFolder.New("simgen-kill");
        var shards = Path.Combine(dir, DatasetWriter.ShardFolder);
        using (var child = DistDepthCli.Start([.. Plan, "--out", dir]))
        {
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (!(TestData.ListsAShard(dir) && Directory.EnumerateFiles(shards, "*.tmp").Any()))
            {
                if (child.HasExited) Assert.Fail($"simgen ended before the kill: {child.StandardError.ReadToEnd()}");
                Assert.True(DateTime.UtcNow < deadline, "no shard appeared in time");
                await Task.Delay(5);
            }
            child.Kill();
            await child.WaitForExitAsync();
        }
        var before = DatasetManifest.Load(dir).Sequences.ToList();
        Assert.InRange(before.Count, 1, 8);
        Assert.True((await DatasetVerifier.VerifyAsync(dir)).Ok);

        using (var again = DistDepthCli.Start([.. Plan, "--out", dir]))
        {
            await again.WaitForExitAsync();
            Assert.True(again.ExitCode == 0, again.StandardError.ReadToEnd());
        }
        var after = DatasetManifest.Load(dir);
        Assert.Equal(9, after.Sequences.Count());
        Assert.Equal(9, after.Sequences.Select(s => s.SequenceId).Distinct().Count());
        Assert.All(after.Sequences, s => Assert.Equal(30, s.Frames));
        Assert.All(before, s => Assert.Contains(s, after.Sequences));
        Assert.True((await DatasetVerifier.VerifyAsync(dir)).Ok);
    }

    [Fact]
    public async Task CtrlCStopsSimgenCleanlyKeepingEverythingCommitted()
    {
        var dir = TempFolder.New("simgen-ctrl-c");
        using var child = DistDepthCli.Start([.. Plan, "--out", dir]);
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!TestData.ListsAShard(dir))
        {
            if (child.HasExited) Assert.Fail($"simgen ended before Ctrl-C: {child.StandardError.ReadToEnd()}");
            Assert.True(DateTime.UtcNow < deadline, "no shard appeared in time");
            await Task.Delay(5);
        }
        using (var interrupt = System.Diagnostics.Process.Start("kill", ["-INT", child.Id.ToString()])) await interrupt.WaitForExitAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync();

        Assert.Equal(130, child.ExitCode);
        Assert.Contains("cancelled", child.StandardOutput.ReadToEnd());
        Assert.DoesNotContain("   at ", await stderr);
        // The shard being filled was finalised, not abandoned: nothing committed is lost.
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(dir, DatasetWriter.ShardFolder), "*.tmp"));
        Assert.True((await DatasetVerifier.VerifyAsync(dir)).Ok);
        Assert.All(DatasetManifest.Load(dir).Sequences, s => Assert.Equal(30, s.Frames));
    }
}

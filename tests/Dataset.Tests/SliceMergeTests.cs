namespace DistDepth.Dataset.Tests;

// `dataset merge` of an array job's parts (slice.json, written by `simgen --shard-count n`).
public class SliceMergeTests
{
    static async Task<string> Part(string root, int index, int count = 3, bool finished = true, string plan = "plan-a")
    {
        var dir = Path.Combine(root, $"part-{index:D3}");
        await using (var writer = DatasetWriter.Open(dir))
        {
            var seq = writer.BeginSequence($"room{index}", $"room{index}-seq0");
            foreach (var f in new SyntheticRoom(index, 16, 16).Sequence(0, 2)) seq.Append(f);
            await seq.CompleteAsync();
        }
        new DatasetSlice { Index = index, Count = count, Plan = plan, Finished = finished }.Save(dir);
        return dir;
    }

    [Fact]
    public async Task MissingAndUnfinishedPartsAreNamedAndNothingIsWritten()
    {
        var root = TempFolder.New("slices");
        string p0 = await Part(root, 0), p2 = await Part(root, 2, finished: false), output = Path.Combine(root, "merged");
        var e = Assert.Throws<InvalidDataException>(() => DatasetMerger.Merge([p0, p2], output));
        Assert.Equal($"incomplete set of 3 parts, missing part 1 (not given), part 2 (its task has not finished: {p2}); re-run those tasks, then merge again", e.Message);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task PartsOfAnotherPlanOrGivenTwiceAreRefused()
    {
        var root = TempFolder.New("slices-mixed");
        string p0 = await Part(root, 0, count: 2), other = await Part(TempFolder.New("other"), 1, count: 2, plan: "plan-b");
        Assert.Contains("part of another plan", Assert.Throws<InvalidDataException>(() => DatasetMerger.Merge([p0, other], Path.Combine(root, "m1"))).Message);
        string copy = await Part(TempFolder.New("copy"), 0, count: 2);
        Assert.Contains("is also given as", Assert.Throws<InvalidDataException>(() => DatasetMerger.Merge([p0, copy], Path.Combine(root, "m2"))).Message);
    }

    [Fact]
    public async Task ACompleteSetMergesAndVerifies()
    {
        var root = TempFolder.New("slices-complete");
        var parts = new[] { await Part(root, 0), await Part(root, 1), await Part(root, 2) };
        var merged = DatasetMerger.Merge(parts, Path.Combine(root, "merged"));
        Assert.Equal(6, merged.FrameCount);
        Assert.True((await DatasetVerifier.VerifyAsync(Path.Combine(root, "merged"))).Ok);
    }
}

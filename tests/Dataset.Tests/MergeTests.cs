using DistDepth.Dataset;

namespace DistDepth.Dataset.Tests;

public class MergeTests
{
    static async Task<string> Part(string name, int scene)
    {
        var dir = TempFolder.New(name);
        await using var writer = DatasetWriter.Open(dir);
        var seq = writer.BeginSequence($"room{scene}", $"room{scene}-seq0");
        foreach (var f in new SyntheticRoom(scene, 16, 16).Sequence(0, 3)) seq.Append(f);
        await seq.CompleteAsync();
        return dir;
    }

    [Fact]
    public async Task MergedDatasetListsEverySequenceOnceAndVerifies()
    {
        string a = await Part("a", 0), b = await Part("b", 1), output = Path.Combine(TempFolder.New("m"), "merged");
        var merged = DatasetMerger.Merge([a, b], output);

        Assert.Equal(["room0-seq0", "room1-seq0"], merged.Sequences.Select(s => s.SequenceId));
        Assert.Equal(2, merged.Shards.Select(s => s.File).Distinct().Count()); // same file name in a and b, renamed
        Assert.True((await DatasetVerifier.VerifyAsync(output)).Ok);
        Assert.Equal(3, (await DatasetReader.Open(output).ReadSequenceAsync("room1-seq0")).Count);
        Assert.True((await DatasetVerifier.VerifyAsync(a)).Ok); // sources untouched
    }

    [Fact]
    public async Task OverlappingSequencesAreRefused()
    {
        string a = await Part("a", 0), b = await Part("b", 0);
        var e = Assert.Throws<InvalidDataException>(() => DatasetMerger.Merge([a, b], TempFolder.New("m2")));
        Assert.Contains("room0-seq0", e.Message);
        Assert.Contains("is also in", e.Message);
    }
}

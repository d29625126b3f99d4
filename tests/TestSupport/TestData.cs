using DistDepth.Dataset;

namespace DistDepth.TestSupport;

/// <summary>Small real datasets for tests of every stage that reads one.</summary>
public static class TestData
{
    /// <summary>Writes scenes x sequences of synthetic frames and returns the folder.</summary>
    public static async Task<string> WriteDatasetAsync(string name, int scenes = 2, int sequences = 2, int frames = 4, int size = 32,
        DatasetWriterOptions? options = null)
    {
        var dir = TempFolder.New(name);
        await using var writer = DatasetWriter.Open(dir, options);
        for (int s = 0; s < scenes; s++)
            for (int q = 0; q < sequences; q++)
            {
                var seq = writer.BeginSequence($"room{s}", $"room{s}-seq{q}");
                foreach (var f in new SyntheticRoom(s, size, size).Sequence(q, frames)) seq.Append(f);
                await seq.CompleteAsync();
            }
        return dir;
    }

    /// <summary>Whether a writer has committed a shard yet (its manifest exists from the start, empty).</summary>
    public static bool ListsAShard(string dir) =>
        File.Exists(DatasetManifest.PathIn(dir)) && DatasetManifest.Load(dir).Shards.Count > 0;

    public static string ShardPath(string dir) => Path.Combine(dir, DatasetManifest.Load(dir).Shards[0].File);
}

using System.Runtime.CompilerServices;
using Parquet;

namespace DistDepth.Dataset;

/// <summary>
/// Reads a dataset through its manifest: everything in order, streamed a row group at a time,
/// or one sequence by itself (it occupies its own row groups, so nothing else is decoded).
/// </summary>
public sealed class DatasetReader
{
    readonly Dictionary<string, (ShardEntry Shard, SequenceEntry Sequence)> index;

    DatasetReader(string directory, DatasetManifest manifest)
    {
        Directory = directory;
        Manifest = manifest;
        index = manifest.Shards.SelectMany(sh => sh.Sequences.Select(sq => (sh, sq)))
            .ToDictionary(p => p.sq.SequenceId, p => p);
    }

    public string Directory { get; }
    public DatasetManifest Manifest { get; }
    public IEnumerable<SequenceEntry> Sequences => Manifest.Sequences;

    public static DatasetReader Open(string directory) => new(directory, DatasetManifest.Load(directory));

    public string PathOf(ShardEntry shard) => Path.Combine(Directory, shard.File);

    public async IAsyncEnumerable<StereoFrame> ReadAllAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var shard in Manifest.Shards)
        {
            await using var reader = await OpenShardAsync(shard, ct);
            for (int g = 0; g < reader.RowGroupCount; g++)
                foreach (var frame in await FrameRows.ReadAsync(reader, g, ct))
                    yield return frame;
        }
    }

    public async Task<IReadOnlyList<StereoFrame>> ReadSequenceAsync(string sequenceId, CancellationToken ct = default)
    {
        if (!index.TryGetValue(sequenceId, out var entry))
            throw new ArgumentException($"{Directory}: no sequence '{sequenceId}' in the manifest");
        await using var reader = await OpenShardAsync(entry.Shard, ct);
        var frames = new List<StereoFrame>(entry.Sequence.Frames);
        for (int g = 0; g < entry.Sequence.RowGroups; g++)
            frames.AddRange(await FrameRows.ReadAsync(reader, entry.Sequence.FirstRowGroup + g, ct));
        return frames;
    }

    internal async Task<ParquetReader> OpenShardAsync(ShardEntry shard, CancellationToken ct)
    {
        var path = PathOf(shard);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: shard listed in the manifest is missing");
        try
        {
            return await ParquetReader.CreateAsync(path, cancellationToken: ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidDataException($"{path}: not a readable Parquet file ({e.Message})");
        }
    }
}

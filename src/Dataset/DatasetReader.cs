using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Parquet;

namespace DistDepth.Dataset;

/// <summary>
/// Reads a dataset through its manifest: everything in order, streamed a row group at a time,
/// or one sequence by itself (it occupies its own row groups, so nothing else is decoded).
/// </summary>
public sealed class DatasetReader
{
    readonly Dictionary<string, (ShardEntry Shard, SequenceEntry Sequence)> index;
    readonly ConcurrentDictionary<string, Task> checkedShards = new();

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

    /// <summary>The shard's file, confined to the dataset folder (see <see cref="DatasetPaths"/>).</summary>
    public string PathOf(ShardEntry shard) => DatasetPaths.Resolve(Directory, shard.File);

    public async IAsyncEnumerable<StereoFrame> ReadAllAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        foreach (var shard in Manifest.Shards)
        {
            await using var reader = await OpenShardAsync(shard, ct);
            for (int g = 0; g < reader.RowGroupCount; g++)
                foreach (var frame in await ReadRowGroupAsync(shard, reader, g, ct))
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
            frames.AddRange(await ReadRowGroupAsync(entry.Shard, reader, entry.Sequence.FirstRowGroup + g, ct));
        return frames;
    }

    /// <summary>One row group's frames; a bad row is an error naming the shard as well as the row and column.</summary>
    internal async Task<StereoFrame[]> ReadRowGroupAsync(ShardEntry shard, ParquetReader reader, int rowGroup, CancellationToken ct)
    {
        try
        {
            return await FrameRows.ReadAsync(reader, rowGroup, ct);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"{PathOf(shard)}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Checks the shard's size and SHA-256 against the manifest, once per reader: every verb reads only
    /// the bytes that were written, so a flipped bit is one clear error instead of a silently wrong
    /// epoch. Hashing runs at disk speed, far faster than decoding the PNGs it guards.
    /// </summary>
    public Task CheckBytesAsync(ShardEntry shard, CancellationToken ct = default) =>
        checkedShards.GetOrAdd(shard.File, _ => HashAsync(shard, ct));

    async Task HashAsync(ShardEntry shard, CancellationToken ct)
    {
        var path = PathOf(shard);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: shard listed in the manifest is missing");
        await using var stream = File.OpenRead(path);
        if (stream.Length != shard.Bytes)
            throw new InvalidDataException($"{path}: size is {stream.Length} bytes, the manifest says {shard.Bytes} (truncated or replaced)");
        var sha = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
        if (sha != shard.Sha256)
            throw new InvalidDataException($"{path}: SHA-256 differs from the manifest (bytes changed since writing): expected {shard.Sha256[..12]}…, got {sha[..12]}…");
    }

    internal async Task<ParquetReader> OpenShardAsync(ShardEntry shard, CancellationToken ct)
    {
        var path = PathOf(shard);
        var check = CheckBytesAsync(shard, ct);
        try
        {
            await check;
        }
        catch
        {
            // A cancelled or failed check is not remembered as done.
            checkedShards.TryRemove(new(shard.File, check));
            throw;
        }
        ParquetReader reader;
        try
        {
            reader = await ParquetReader.CreateAsync(path, cancellationToken: ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidDataException($"{path}: not a readable Parquet file ({e.Message})");
        }
        int listed = shard.Sequences.Sum(s => s.RowGroups);
        if (reader.RowGroupCount != listed)
        {
            await reader.DisposeAsync();
            throw new InvalidDataException($"{path}: holds {reader.RowGroupCount} row groups, the manifest lists {listed}");
        }
        return reader;
    }
}

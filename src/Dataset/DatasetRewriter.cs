using System.Text.RegularExpressions;
using Parquet;

namespace DistDepth.Dataset;

/// <summary>
/// Replaces the rows of listed shards (a later stage filling a column) without ever touching a
/// listed file: the new rows go to a new shard file (shard-00003.parquet -> shard-00003.v1.parquet)
/// with the same sequences in the same row groups, the manifest is switched to it atomically, and
/// only then is the old file deleted. A kill at any moment leaves the old shard or the new one
/// listed, and the next <see cref="Open"/> removes whichever file is left unlisted.
/// Holds the dataset's writer lock, so no <see cref="DatasetWriter"/> works on the folder meanwhile.
/// </summary>
public sealed partial class DatasetRewriter : IDisposable
{
    readonly DatasetReader reader;
    readonly FileStream writerLock;
    readonly CompressionMethod compression;

    DatasetRewriter(DatasetReader reader, DatasetManifest manifest, FileStream writerLock)
    {
        this.reader = reader;
        this.writerLock = writerLock;
        Manifest = manifest;
        // A merged dataset may say "snappy+none": new shards then take the writer's default.
        compression = Enum.TryParse<CompressionMethod>(manifest.Compression, ignoreCase: true, out var c) ? c : CompressionMethod.Snappy;
    }

    public string Directory => reader.Directory;
    public DatasetManifest Manifest { get; }

    public static DatasetRewriter Open(string directory)
    {
        // Opened before locking, so a wrong folder gets the dataset's own error, not a lock file.
        var reader = DatasetReader.Open(directory);
        var writerLock = DatasetWriter.AcquireLock(directory);
        try
        {
            var manifest = DatasetManifest.Load(directory);
            DatasetWriter.RemoveUnlistedShards(directory, manifest);
            return new DatasetRewriter(reader, manifest, writerLock);
        }
        catch
        {
            writerLock.Dispose();
            throw;
        }
    }

    /// <summary>The first row's meta_json, read alone: a shard is replaced whole, so it tells whether an earlier run finished it.</summary>
    public async Task<string> FirstMetaJsonAsync(ShardEntry shard, CancellationToken ct = default)
    {
        await using var parquet = await reader.OpenShardAsync(shard, ct);
        using var group = parquet.OpenRowGroupReader(0);
        var meta = new string?[group.RowCount];
        await group.ReadAsync(DatasetSchema.MetaJson, meta, null, ct);
        return meta[0] ?? "{}";
    }

    /// <summary>
    /// Writes <paramref name="transform"/>'s rows in place of the shard's, one row group at a time.
    /// The transform must keep every row's sequence and frame index.
    /// </summary>
    public async Task<ShardEntry> ReplaceAsync(ShardEntry shard,
        Func<IReadOnlyList<StereoFrame>, CancellationToken, Task<IReadOnlyList<StereoFrame>>> transform, CancellationToken ct = default)
    {
        int slot = Manifest.Shards.IndexOf(shard);
        if (slot < 0) throw new ArgumentException($"{Directory}: shard '{shard.File}' is not in the manifest");
        var path = reader.PathOf(shard);
        // Rewriting a damaged shard would hide the damage under a fresh checksum.
        await reader.CheckBytesAsync(shard, ct);

        ShardEntry replacement;
        await using (var source = await reader.OpenShardAsync(shard, ct))
        await using (var target = await ShardWriter.CreateAsync(Directory, NextVersion(shard.File), compression, ct))
        {
            foreach (var sequence in shard.Sequences)
            {
                var groups = new List<IReadOnlyList<StereoFrame>>(sequence.RowGroups);
                for (int g = sequence.FirstRowGroup; g < sequence.FirstRowGroup + sequence.RowGroups; g++)
                    groups.Add(await TransformGroupAsync(source, g, path, transform, ct));
                await target.AppendSequenceAsync(sequence.SceneId, sequence.SequenceId, groups, ct);
            }
            replacement = await target.CompleteAsync();
        }
        if (!replacement.Sequences.SequenceEqual(shard.Sequences))
            throw new InvalidDataException($"{path}: its sequences do not occupy consecutive row groups in listed order; not replaced");

        Manifest.Shards[slot] = replacement;
        Manifest.Save(Directory);
        File.Delete(path);
        return replacement;
    }

    static async Task<IReadOnlyList<StereoFrame>> TransformGroupAsync(ParquetReader source, int group, string path,
        Func<IReadOnlyList<StereoFrame>, CancellationToken, Task<IReadOnlyList<StereoFrame>>> transform, CancellationToken ct)
    {
        try
        {
            var frames = await FrameRows.ReadAsync(source, group, ct);
            var replaced = await transform(frames, ct);
            if (replaced.Count != frames.Length || frames.Where((f, i) => f.SequenceId != replaced[i].SequenceId || f.FrameIndex != replaced[i].FrameIndex).Any())
                throw new InvalidOperationException($"{path}: the transform of row group {group} changed which frames it holds");
            return replaced;
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(path))
        {
            throw new InvalidDataException($"{path}: {e.Message}", e);
        }
    }

    static string NextVersion(string file)
    {
        var m = Versioned().Match(file);
        return m.Success ? $"{m.Groups[1].Value}.v{(m.Groups[2].Success ? int.Parse(m.Groups[2].Value) + 1 : 1)}.parquet" : file + ".v1.parquet";
    }

    [GeneratedRegex(@"^(.*?)(?:\.v(\d+))?\.parquet$")]
    private static partial Regex Versioned();

    // The lock file stays: deleting it would let the next two writers lock two different files.
    public void Dispose() => writerLock.Dispose();
}

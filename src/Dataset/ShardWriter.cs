using System.IO.Compression;
using Parquet;

namespace DistDepth.Dataset;

/// <summary>
/// One shard being written. It lives under a temporary name until <see cref="CompleteAsync"/>
/// closes the footer and renames it: a killed writer leaves only a *.tmp that nothing refers to.
/// </summary>
internal sealed class ShardWriter : IAsyncDisposable
{
    readonly string finalPath;
    readonly string tempPath;
    readonly ShardStream stream;
    readonly ParquetWriter writer;
    readonly List<SequenceEntry> sequences = [];

    ShardWriter(string finalPath, string tempPath, ShardStream stream, ParquetWriter writer)
    {
        this.finalPath = finalPath;
        this.tempPath = tempPath;
        this.stream = stream;
        this.writer = writer;
    }

    public string RelativeName { get; private init; } = "";
    public int RowGroups { get; private set; }
    public long Rows { get; private set; }
    public long BytesWritten => stream.Position;

    public static async Task<ShardWriter> CreateAsync(string datasetDir, string relativeName, CompressionMethod compression, CancellationToken ct)
    {
        var finalPath = Path.Combine(datasetDir, relativeName);
        var tempPath = finalPath + ".tmp";
        Directory.CreateDirectory(Path.GetDirectoryName(finalPath)!);
        var stream = new ShardStream(new FileStream(tempPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20));
        // PNG bytes do not shrink further: the fastest level keeps the writer from being the bottleneck.
        var options = new ParquetOptions { CompressionMethod = compression, CompressionLevel = CompressionLevel.Fastest };
        var writer = await ParquetWriter.CreateAsync(DatasetSchema.Schema, stream, options, cancellationToken: ct);
        writer.CustomMetadata = new Dictionary<string, string> { ["huggingface"] = DatasetSchema.HuggingFaceFeatures() };
        return new ShardWriter(finalPath, tempPath, stream, writer) { RelativeName = relativeName };
    }

    public async Task AppendSequenceAsync(string sceneId, string sequenceId, IReadOnlyList<IReadOnlyList<StereoFrame>> rowGroups, CancellationToken ct)
    {
        int first = RowGroups;
        foreach (var group in rowGroups)
        {
            await FrameRows.WriteAsync(writer, group, ct);
            RowGroups++;
            Rows += group.Count;
        }
        stream.ReleaseWrittenPages();
        sequences.Add(new SequenceEntry
        {
            SequenceId = sequenceId, SceneId = sceneId, Frames = rowGroups.Sum(g => g.Count),
            FirstRowGroup = first, RowGroups = RowGroups - first,
        });
    }

    public async Task<ShardEntry> CompleteAsync()
    {
        await writer.DisposeAsync();
        var sha = stream.Finish();
        long bytes = stream.Length;
        await stream.DisposeAsync();
        File.Move(tempPath, finalPath, overwrite: false);
        return new ShardEntry { File = RelativeName, Rows = Rows, Bytes = bytes, Sha256 = sha, Sequences = [.. sequences] };
    }

    /// <summary>Drops an unfinished shard (its sequences were never listed, so nothing is lost).</summary>
    public async ValueTask DisposeAsync()
    {
        if (!File.Exists(tempPath)) return;
        try { await writer.DisposeAsync(); } catch (IOException) { }
        await stream.DisposeAsync();
        File.Delete(tempPath);
    }
}

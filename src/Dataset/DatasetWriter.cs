using System.Text.RegularExpressions;

namespace DistDepth.Dataset;

/// <summary>
/// Appends whole sequences to a dataset folder, creating it or resuming it from its manifest.
/// Sequences from several producers may be committed concurrently; they are written one at a time.
/// What is finished is what the manifest lists: a kill loses at most the shard being filled,
/// and re-running the producer (skipping <see cref="Contains"/>) completes the set.
/// </summary>
public sealed partial class DatasetWriter : IAsyncDisposable
{
    public const string ShardFolder = "shards";
    internal const string LockName = ".writer.lock";

    readonly string directory;
    readonly DatasetWriterOptions options;
    readonly DatasetManifest manifest;
    readonly FileStream writerLock;
    readonly SemaphoreSlim gate = new(1, 1);
    readonly HashSet<string> committed;
    ShardWriter? openShard;
    int nextShardIndex;

    DatasetWriter(string directory, DatasetWriterOptions options, DatasetManifest manifest, FileStream writerLock, int nextShardIndex)
    {
        this.directory = directory;
        this.options = options;
        this.manifest = manifest;
        this.writerLock = writerLock;
        this.nextShardIndex = nextShardIndex;
        committed = manifest.Sequences.Select(s => s.SequenceId).ToHashSet();
    }

    public string DatasetId => manifest.DatasetId;
    public string Directory => directory;

    public static DatasetWriter Open(string directory, DatasetWriterOptions? options = null)
    {
        options ??= new DatasetWriterOptions();
        bool resuming = File.Exists(DatasetManifest.PathIn(directory));
        if (!resuming) RefuseForeignFolder(directory);
        System.IO.Directory.CreateDirectory(Path.Combine(directory, ShardFolder));
        var writerLock = AcquireLock(directory);
        try
        {
            var manifest = resuming
                ? DatasetManifest.Load(directory)
                : new DatasetManifest
                {
                    DatasetId = options.DatasetId ?? Path.GetFileName(Path.GetFullPath(directory).TrimEnd('/')),
                    Compression = options.Compression.ToString().ToLowerInvariant(),
                };
            // Saved at once, empty: from now on the folder says it is a dataset, so a killed first run resumes.
            if (!resuming) manifest.Save(directory);
            int next = RemoveUnlistedShards(directory, manifest);
            return new DatasetWriter(directory, options, manifest, writerLock, next);
        }
        catch
        {
            writerLock.Dispose();
            throw;
        }
    }

    // A writer cleans up what it left behind, so it must never start in a folder holding someone else's
    // files. What it may find: its own leftovers, an array task's slice.json, a dataset card written first.
    internal static void RefuseForeignFolder(string directory)
    {
        if (!System.IO.Directory.Exists(directory)) return;
        var shards = Path.Combine(directory, ShardFolder);
        bool OwnLeftover(string entry) => Path.GetFileName(entry) switch
        {
            LockName or DatasetManifest.FileName + ".tmp" or DatasetSlice.FileName or DatasetCard.FileName => true,
            ShardFolder => System.IO.Directory.Exists(entry) && !System.IO.Directory.EnumerateFileSystemEntries(entry).Any(),
            _ => false,
        };
        var foreign = System.IO.Directory.EnumerateFileSystemEntries(directory).FirstOrDefault(e => !OwnLeftover(e));
        if (foreign is not null)
            throw new IOException($"{directory}: not empty and not a dataset (no {DatasetManifest.FileName}; it holds {Path.GetFileName(foreign)}); choose a new or empty folder");
    }

    // Two writers in one folder would interleave manifests; the OS drops this lock when a process dies.
    // The file is never deleted: a writer that deleted it after unlocking could let the next two
    // writers each lock a different file of that name.
    internal static FileStream AcquireLock(string directory)
    {
        var path = Path.Combine(directory, LockName);
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new IOException($"{directory}: another process is writing this dataset ({LockName} is held)");
        }
    }

    // Leftovers of a killed run: temp shards, and a shard renamed just before its manifest entry was saved.
    // Their sequences are not in the manifest, so the producer regenerates them. (After a killed
    // DatasetRewriter, an unlisted file is the old or the new copy of a shard whose other copy is listed.)
    // Only files named as writers name shards are touched: anything else in shards/ is someone's and stays.
    internal static int RemoveUnlistedShards(string directory, DatasetManifest manifest)
    {
        var listed = manifest.Shards.Select(s => Path.GetFullPath(DatasetPaths.Resolve(directory, s.File))).ToHashSet();
        int next = 0;
        foreach (var file in System.IO.Directory.EnumerateFiles(Path.Combine(directory, ShardFolder)))
        {
            var m = ShardName().Match(Path.GetFileName(file));
            if (!m.Success) continue;
            next = Math.Max(next, int.Parse(m.Groups[1].Value) + 1);
            if (!listed.Contains(Path.GetFullPath(file))) File.Delete(file);
        }
        return next;
    }

    // What writers name shards: shard-00003.parquet (part007-00003 for a part of an array job,
    // src1-shard-00003 after a merge), its temp name, and DatasetRewriter's replacements
    // (shard-00003.parquet becomes shard-00003.v1.parquet, keeping its index).
    [GeneratedRegex(@"^(?:src\d+-)?(?:shard|part\d{3})-(\d{5,})(\.v\d+)?\.parquet(\.tmp)?$")]
    private static partial Regex ShardName();

    public bool Contains(string sequenceId)
    {
        lock (committed) return committed.Contains(sequenceId);
    }

    public SequenceWriter BeginSequence(string sceneId, string sequenceId)
    {
        if (string.IsNullOrWhiteSpace(sequenceId)) throw new ArgumentException("sequence id must not be empty");
        if (Contains(sequenceId))
            throw new ArgumentException($"{directory}: sequence '{sequenceId}' is already in the dataset");
        return new SequenceWriter(this, sceneId, sequenceId);
    }

    internal async Task CommitAsync(SequenceWriter sequence, IReadOnlyList<StereoFrame> frames, CancellationToken ct)
    {
        await gate.WaitAsync(ct);
        try
        {
            lock (committed)
                if (!committed.Add(sequence.SequenceId))
                    throw new ArgumentException($"{directory}: sequence '{sequence.SequenceId}' is already in the dataset");
            openShard ??= await ShardWriter.CreateAsync(directory, NextShardName(), options.Compression, ct);
            await openShard.AppendSequenceAsync(sequence.SceneId, sequence.SequenceId, SplitIntoRowGroups(frames), ct);
            if (openShard.BytesWritten >= options.TargetShardBytes) await FinishShardAsync();
        }
        finally
        {
            gate.Release();
        }
    }

    string NextShardName() => $"{ShardFolder}/{options.ShardPrefix}-{nextShardIndex++:D5}.parquet";

    List<IReadOnlyList<StereoFrame>> SplitIntoRowGroups(IReadOnlyList<StereoFrame> frames)
    {
        var groups = new List<IReadOnlyList<StereoFrame>>();
        var current = new List<StereoFrame>();
        long bytes = 0;
        foreach (var frame in frames)
        {
            if (current.Count > 0 && bytes + frame.ImageBytes > options.TargetRowGroupBytes)
            {
                groups.Add(current);
                current = [];
                bytes = 0;
            }
            current.Add(frame);
            bytes += frame.ImageBytes;
        }
        if (current.Count > 0) groups.Add(current);
        return groups;
    }

    async Task FinishShardAsync()
    {
        var entry = await openShard!.CompleteAsync();
        openShard = null;
        manifest.Shards.Add(entry);
        manifest.Save(directory);
    }

    /// <summary>Finalises the shard being filled, so everything committed so far is listed.</summary>
    public async Task FlushAsync()
    {
        await gate.WaitAsync();
        try
        {
            if (openShard is not null) await FinishShardAsync();
            else if (!File.Exists(DatasetManifest.PathIn(directory))) manifest.Save(directory);
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await FlushAsync();
        writerLock.Dispose();
    }
}

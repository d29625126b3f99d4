using System.Runtime.InteropServices;

namespace DistDepth.Dataset;

/// <summary>
/// Joins datasets written separately (array-job workers, several capture sessions) into one folder.
/// Shards are hard-linked where the filesystem allows, copied otherwise: their bytes, and so their
/// checksums, are unchanged, and the sources stay valid on their own.
/// </summary>
public static partial class DatasetMerger
{
    public static DatasetManifest Merge(IReadOnlyList<string> sources, string output, string? datasetId = null)
    {
        if (sources.Count == 0) throw new ArgumentException("nothing to merge: give at least one dataset folder");
        if (File.Exists(DatasetManifest.PathIn(output)))
            throw new IOException($"{output}: already holds a dataset; merge into a new folder");
        DatasetWriter.RefuseForeignFolder(output);
        DatasetSlice.RequireCompleteSet(sources);
        var manifests = sources.Select(DatasetManifest.Load).ToList();
        var owner = new Dictionary<string, string>();
        for (int i = 0; i < sources.Count; i++)
            foreach (var s in manifests[i].Sequences)
                if (!owner.TryAdd(s.SequenceId, sources[i]))
                    throw new InvalidDataException($"{sources[i]}: sequence '{s.SequenceId}' is also in {owner[s.SequenceId]}");

        Directory.CreateDirectory(Path.Combine(output, DatasetWriter.ShardFolder));
        var shards = new List<ShardEntry>();
        var names = new HashSet<string>();
        for (int i = 0; i < sources.Count; i++)
            foreach (var shard in manifests[i].Shards)
            {
                var name = $"{DatasetWriter.ShardFolder}/{Path.GetFileName(shard.File)}";
                if (!names.Add(name)) names.Add(name = $"{DatasetWriter.ShardFolder}/src{i}-{Path.GetFileName(shard.File)}");
                LinkOrCopy(DatasetPaths.Resolve(sources[i], shard.File), Path.Combine(output, name));
                shards.Add(shard with { File = name });
            }
        var merged = new DatasetManifest
        {
            DatasetId = datasetId ?? Path.GetFileName(Path.GetFullPath(output).TrimEnd('/')),
            Compression = string.Join("+", manifests.Select(m => m.Compression).Distinct()),
            Shards = shards,
        };
        merged.Save(output);
        return merged;
    }

    static void LinkOrCopy(string from, string to)
    {
        if (!File.Exists(from)) throw new FileNotFoundException($"{from}: shard listed in its manifest is missing");
        if (OperatingSystem.IsWindows() || Link(from, to) != 0) File.Copy(from, to);
    }

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Link(string existing, string newPath);
}

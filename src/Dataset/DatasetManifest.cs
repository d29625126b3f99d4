using System.Text.Json;
using System.Text.Json.Serialization;

namespace DistDepth.Dataset;

/// <summary>
/// manifest.json: the dataset's table of contents and the only source of truth about what is finished.
/// A shard or sequence that is not listed here does not exist, whatever lies in the folder.
/// </summary>
public sealed record DatasetManifest
{
    public const string FileName = "manifest.json";
    public const string FormatName = "distdepth-dataset";

    public string Format { get; init; } = FormatName;
    public int SchemaVersion { get; init; } = DatasetSchema.Version;
    public required string DatasetId { get; init; }
    public string DepthUnit { get; init; } = DatasetSchema.DepthUnit;
    public string Compression { get; init; } = "snappy";
    public List<ShardEntry> Shards { get; init; } = [];

    public IEnumerable<SequenceEntry> Sequences => Shards.SelectMany(s => s.Sequences);
    public long FrameCount => Shards.Sum(s => s.Rows);

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    public static DatasetManifest Load(string directory)
    {
        var path = PathIn(directory);
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException($"{directory}: no such dataset folder");
        if (!File.Exists(path))
            throw new FileNotFoundException($"{path}: not found (not a DistDepth dataset folder, or nothing was ever finished in it)");
        DatasetManifest? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<DatasetManifest>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid manifest JSON ({e.Message})");
        }
        if (manifest is null || manifest.Format != FormatName)
            throw new InvalidDataException($"{path}: not a {FormatName} manifest");
        if (manifest.SchemaVersion != DatasetSchema.Version)
            throw new InvalidDataException(
                $"{path}: schema_version {manifest.SchemaVersion} is not supported (this build reads {DatasetSchema.Version})");
        ManifestCheck.Validate(manifest, path);
        return manifest;
    }

    /// <summary>Replaces manifest.json atomically: readers see the old one or the new one, never half of either.</summary>
    public void Save(string directory)
    {
        AtomicFile.WriteAllText(PathIn(directory), JsonSerializer.Serialize(this, Json));
        DatasetCard.WriteIfMissing(directory, DatasetId);
    }
}

public sealed record ShardEntry
{
    /// <summary>Relative to the dataset folder, '/'-separated.</summary>
    public required string File { get; init; }
    public required long Rows { get; init; }
    public required long Bytes { get; init; }
    public required string Sha256 { get; init; }
    public List<SequenceEntry> Sequences { get; init; } = [];
}

/// <summary>A sequence's place in its shard: its own row groups, so it can be read without the rest.</summary>
public sealed record SequenceEntry
{
    public required string SequenceId { get; init; }
    public required string SceneId { get; init; }
    public required int Frames { get; init; }
    public required int FirstRowGroup { get; init; }
    public required int RowGroups { get; init; }
}

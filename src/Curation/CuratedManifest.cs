using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using DistDepth.Dataset;

namespace DistDepth.Curation;

/// <summary>
/// curation.json, beside manifest.json: the verdict on every sequence and every flagged frame, with
/// the config that produced them. The data itself is never touched; consumers (the trainer,
/// `dataset export`) read this to skip or label what was rejected.
/// </summary>
public sealed record CuratedManifest
{
    public const string FileName = "curation.json";
    public const string FormatName = "distdepth-curation";

    public string Format { get; init; } = FormatName;
    public required string DatasetId { get; init; }
    /// <summary>Of manifest.json when curated: a dataset that grew since is not silently half-curated.</summary>
    public required string ManifestSha256 { get; init; }
    public required CurationConfig Config { get; init; }
    public required IReadOnlyList<SequenceVerdict> Sequences { get; init; }

    [JsonIgnore] public IEnumerable<string> AcceptedSequences => Sequences.Where(s => s.Accepted).Select(s => s.SequenceId);
    [JsonIgnore] public IEnumerable<SequenceVerdict> Rejected => Sequences.Where(s => !s.Accepted);

    /// <summary>How many rejected sequences each check contributed to (a sequence may count under several).</summary>
    public IReadOnlyDictionary<string, int> RejectionsByCheck => Rejected.SelectMany(s => s.Reasons.Select(r => r.Check).Distinct())
        .GroupBy(c => c).OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => g.Count());

    public SequenceVerdict? Find(string sequenceId) => Sequences.FirstOrDefault(s => s.SequenceId == sequenceId);

    /// <summary>Frames of an accepted sequence the trainer should still skip.</summary>
    public IReadOnlySet<int> FlaggedFrames(string sequenceId) =>
        Find(sequenceId)?.FlaggedFrames.Select(f => f.FrameIndex).ToHashSet() ?? [];

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
    };

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    public static string ManifestHash(string directory) =>
        Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(DatasetManifest.PathIn(directory))));

    public void Save(string directory) => AtomicFile.WriteAllText(PathIn(directory), JsonSerializer.Serialize(this, Json));

    /// <summary>The dataset's curation; null if it was never curated. Stale or unreadable is an error, never ignored.</summary>
    public static CuratedManifest? TryLoad(string directory)
    {
        var path = PathIn(directory);
        if (!File.Exists(path)) return null;
        CuratedManifest? curated;
        try
        {
            curated = JsonSerializer.Deserialize<CuratedManifest>(File.ReadAllText(path), Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid curation JSON ({e.Message})");
        }
        if (curated is null || curated.Format != FormatName) throw new InvalidDataException($"{path}: not a {FormatName} file");
        if (curated.ManifestSha256 != ManifestHash(directory))
            throw new InvalidDataException($"{path}: the dataset changed since it was curated (manifest.json differs); run `distdepth curate {directory}` again");
        return curated;
    }

    /// <summary>
    /// For `dataset export`: writes the sequence's verdict as verdict.json beside its exported images, so
    /// whoever looks at them knows whether and why it was rejected. Null when the dataset was never curated.
    /// </summary>
    public static string? ExportVerdict(string directory, string sequenceId, string outDir)
    {
        if (TryLoad(directory)?.Find(sequenceId) is not { } verdict) return null;
        AtomicFile.WriteAllText(Path.Combine(outDir, "verdict.json"), JsonSerializer.Serialize(verdict, Json));
        return verdict.Summary;
    }

    public static CuratedManifest Load(string directory) =>
        TryLoad(directory) ?? throw new FileNotFoundException($"{PathIn(directory)}: not found; run `distdepth curate {directory}` first");
}

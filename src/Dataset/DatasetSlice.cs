using System.Text.Json;

namespace DistDepth.Dataset;

/// <summary>
/// slice.json: this folder is part <see cref="Index"/> of <see cref="Count"/> of one planned set (an
/// array job's task), and whether the task that fills it finished. Written by the producer when it
/// starts (Finished = false) and when it ends, so a task that crashed or never ran is told apart from
/// one that finished, whatever its manifest already lists.
/// </summary>
public sealed record DatasetSlice
{
    public const string FileName = "slice.json";

    public required int Index { get; init; }
    public required int Count { get; init; }
    /// <summary>Identifies the whole plan (settings and scene list): parts of different runs never mix.</summary>
    public required string Plan { get; init; }
    public required bool Finished { get; init; }
    /// <summary>Sequences the producer tried and could not make (the set is complete without them).</summary>
    public List<string> Skipped { get; init; } = [];

    static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public void Save(string directory)
    {
        Directory.CreateDirectory(directory);
        AtomicFile.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(this, Json));
    }

    public static DatasetSlice? Load(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<DatasetSlice>(File.ReadAllText(path), Json)
                   ?? throw new InvalidDataException($"{path}: empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid slice record ({e.Message})");
        }
    }

    /// <summary>
    /// Refuses to merge part of a set: when any source is a slice, every index 0..Count-1 of the same
    /// plan must be given exactly once and finished. The message names each missing or unfinished part.
    /// </summary>
    public static void RequireCompleteSet(IReadOnlyList<string> sources)
    {
        var slices = sources.Select(s => (Dir: s, Slice: Load(s))).ToList();
        var first = slices.FirstOrDefault(s => s.Slice is not null);
        if (first.Slice is null) return;
        var (plan, count) = (first.Slice.Plan, first.Slice.Count);
        var byIndex = new Dictionary<int, string>();
        foreach (var (dir, slice) in slices)
        {
            if (slice is null)
                throw new InvalidDataException($"{dir}: not part of the sliced set that {first.Dir} belongs to (no {FileName})");
            if (slice.Plan != plan || slice.Count != count)
                throw new InvalidDataException($"{dir}: part of another plan than {first.Dir} (plan {slice.Plan}, {slice.Count} parts; expected {plan}, {count})");
            if (!byIndex.TryAdd(slice.Index, dir))
                throw new InvalidDataException($"{dir}: part {slice.Index} of {count} is also given as {byIndex[slice.Index]}");
        }
        var problems = new List<string>();
        for (int i = 0; i < count; i++)
            if (!byIndex.TryGetValue(i, out var dir)) problems.Add($"part {i} (not given)");
            else if (!slices.First(s => s.Dir == dir).Slice!.Finished) problems.Add($"part {i} (its task has not finished: {dir})");
        if (problems.Count > 0)
            throw new InvalidDataException($"incomplete set of {count} parts, missing {string.Join(", ", problems)}; re-run those tasks, then merge again");
    }
}

using System.Text.Json.Serialization;

namespace DistDepth.Curation;

/// <summary>A frame some frame check flagged, and why. Frames not listed passed every check.</summary>
public sealed record FrameVerdict(int FrameIndex, IReadOnlyList<Reason> Flags);

/// <summary>The decision on one sequence with everything needed to review it.</summary>
public sealed record SequenceVerdict
{
    public required string SequenceId { get; init; }
    public required string SceneId { get; init; }
    public required int Frames { get; init; }
    public required double BadFrameRatio { get; init; }
    /// <summary>Empty when accepted.</summary>
    public required IReadOnlyList<Reason> Reasons { get; init; }
    public required IReadOnlyList<FrameVerdict> FlaggedFrames { get; init; }

    public bool Accepted => Reasons.Count == 0;

    /// <summary>Worst first: more failed checks, then more bad frames.</summary>
    public static readonly IComparer<SequenceVerdict> WorstFirst = Comparer<SequenceVerdict>.Create((a, b) =>
        b.Reasons.Count != a.Reasons.Count ? b.Reasons.Count.CompareTo(a.Reasons.Count) : b.BadFrameRatio.CompareTo(a.BadFrameRatio));

    [JsonIgnore] public string Summary => Accepted ? "accepted" : "rejected: " + string.Join("; ", Reasons);
}

/// <summary>Turns one sequence's frame measurements into its verdict.</summary>
public static class SequenceCurator
{
    public static SequenceVerdict Judge(string sequenceId, string sceneId, IReadOnlyList<FrameMeasurement> frames, CurationConfig config)
    {
        var frameChecks = FrameChecks.All(config.Frame);
        var flagged = frames
            .Select(f => new FrameVerdict(f.FrameIndex, frameChecks.Select(c => c.Evaluate(f)).OfType<Reason>().ToList()))
            .Where(v => v.Flags.Count > 0).ToList();
        var measured = SequenceMeasurement.Of(frames, frames.Count - flagged.Count);
        var reasons = SequenceChecks.All(config.Sequence).Select(c => c.Evaluate(measured)).OfType<Reason>().ToList();
        int badFrames = reasons.FindIndex(r => r.Check == "bad_frames");
        if (badFrames >= 0)
        {
            // Name the frame checks behind the bad frames, so the reason says what went wrong, not only how often.
            var culprits = FrameCulprits(frameChecks, frames, flagged, config.Sequence.MaxBadFrameRatio);
            if (culprits.Count > 0)
            {
                reasons.RemoveAt(badFrames);
                reasons.InsertRange(badFrames, culprits);
            }
        }
        return new SequenceVerdict
        {
            SequenceId = sequenceId, SceneId = sceneId, Frames = frames.Count, BadFrameRatio = Math.Round(measured.BadFrameRatio, 4),
            Reasons = reasons, FlaggedFrames = flagged,
        };
    }

    /// <summary>Each frame check that by itself flags more than the allowed share of frames.</summary>
    static List<Reason> FrameCulprits(IReadOnlyList<Check<FrameMeasurement>> checks, IReadOnlyList<FrameMeasurement> frames,
        List<FrameVerdict> flagged, double maxRatio)
    {
        var culprits = new List<Reason>();
        foreach (var check in checks)
        {
            var values = flagged.SelectMany(v => v.Flags).Where(r => r.Check == check.Name).Select(r => r.Value).Order().ToList();
            double share = (double)values.Count / frames.Count;
            if (share > maxRatio)
                culprits.Add(new Reason(check.Name, Math.Round(share, 4), maxRatio)
                {
                    Detail = $"{values.Count}/{frames.Count} frames fail {check.ConfigKey} = {check.Threshold:0.###} ({check.Measures}: {values[values.Count / 2]:0.###} in the median failing frame)",
                });
        }
        return culprits;
    }
}

namespace DistDepth.Curation;

/// <summary>What curation measures over a whole sequence, from its frames' measurements and flags.</summary>
public sealed record SequenceMeasurement
{
    public required int Frames { get; init; }
    /// <summary>Frames no frame check flagged.</summary>
    public required int GoodFrames { get; init; }
    public double BadFrameRatio => Frames == 0 ? 1 : 1 - (double)GoodFrames / Frames;
    public double? CollisionFraction { get; init; }
    /// <summary>Farthest the camera got from where it started, m.</summary>
    public double? TravelM { get; init; }
    public double? MaxStepM { get; init; }
    public double? MaxTurnDeg { get; init; }

    public static SequenceMeasurement Of(IReadOnlyList<FrameMeasurement> frames, int goodFrames)
    {
        var collided = frames.Where(f => f.Collided is not null).ToList();
        var m = new SequenceMeasurement
        {
            Frames = frames.Count, GoodFrames = goodFrames,
            CollisionFraction = collided.Count > 0 ? (double)collided.Count(f => f.Collided == true) / frames.Count : null,
        };
        // A pose is only evidence when every frame has one: real captures without tracking carry NaN.
        if (frames.Count == 0 || frames.Any(f => f.Pose is null)) return m;
        var poses = frames.Select(f => f.Pose!).ToList();
        var steps = poses.Zip(poses.Skip(1)).Select(p => (Move: Distance(p.First, p.Second), Turn: TurnDeg(p.First, p.Second))).ToList();
        return m with
        {
            TravelM = poses.Max(p => Distance(poses[0], p)),
            MaxStepM = steps.Count > 0 ? steps.Max(s => s.Move) : 0,
            MaxTurnDeg = steps.Count > 0 ? steps.Max(s => s.Turn) : 0,
        };
    }

    static double Distance(float[] a, float[] b) =>
        Math.Sqrt(Math.Pow(a[3] - b[3], 2) + Math.Pow(a[7] - b[7], 2) + Math.Pow(a[11] - b[11], 2));

    /// <summary>Angle of the relative rotation Ra^T Rb, from its trace.</summary>
    static double TurnDeg(float[] a, float[] b)
    {
        double trace = 0;
        for (int i = 0; i < 3; i++)
            for (int k = 0; k < 3; k++)
                trace += a[4 * k + i] * b[4 * k + i];
        return Math.Acos(Math.Clamp((trace - 1) / 2, -1, 1)) * 180 / Math.PI;
    }
}

public static class SequenceChecks
{
    public static IReadOnlyList<Check<SequenceMeasurement>> All(SequenceThresholds t) =>
    [
        new("collisions", "share of frames in which the agent collided", "sequence.max_collision_fraction", t.MaxCollisionFraction, true, m => m.CollisionFraction),
        new("stuck", "farthest the camera got from its start, m", "sequence.min_travel_m", t.MinTravelM, false, m => m.TravelM),
        new("pose_jump", "largest move between consecutive frames, m", "sequence.max_step_m", t.MaxStepM, true, m => m.MaxStepM),
        new("pose_turn", "largest turn between consecutive frames, degrees", "sequence.max_turn_deg", t.MaxTurnDeg, true, m => m.MaxTurnDeg),
        new("too_short", "frames left after dropping flagged ones", "sequence.min_good_frames", t.MinGoodFrames, false, m => m.GoodFrames),
        new("bad_frames", "share of frames flagged by any frame check", "sequence.max_bad_frame_ratio", t.MaxBadFrameRatio, true, m => m.BadFrameRatio),
    ];
}

namespace DistDepth.Curation;

/// <summary>
/// One named test of a frame or a sequence against one threshold. A check whose measurement is
/// unavailable (no depth from a real camera, no pose) passes: it cannot speak about that input.
/// </summary>
public sealed record Check<T>(string Name, string Measures, string ConfigKey, double Threshold, bool FailsAbove, Func<T, double?> Measure)
{
    public Reason? Evaluate(T measured) =>
        Measure(measured) is double v && (FailsAbove ? v > Threshold : v < Threshold) ? new Reason(Name, Math.Round(v, 4), Threshold) : null;
}

public static class FrameChecks
{

    /// <summary>The default set. Its depth_median, depth_p20 and depth_spread are the SimSIN authors' rule (METHOD.md) verbatim.</summary>
    public static IReadOnlyList<Check<FrameMeasurement>> All(FrameThresholds t) =>
    [
        new("near_depth", "share of valid depth nearer than near_depth_m", "frame.max_near_fraction", t.MaxNearFraction, true, m => m.NearFraction),
        new("depth_median", "median depth, m (SimSIN rule)", "frame.simsin_min_median_m", t.SimsinMinMedianM, false, m => m.MedianDepthM),
        new("depth_p20", "20th percentile depth, m (SimSIN rule)", "frame.simsin_min_p20_m", t.SimsinMinP20M, false, m => m.P20DepthM),
        new("depth_spread", "80th - 20th percentile depth, m (SimSIN rule)", "frame.simsin_min_spread_m", t.SimsinMinSpreadM, false, m => m.DepthSpreadM),
        new("invalid_depth", "share of pixels without depth (void)", "frame.max_invalid_depth_fraction", t.MaxInvalidDepthFraction, true, m => m.InvalidFraction),
        new("underexposed", "mean luma, 0..255", "frame.min_mean_luma", t.MinMeanLuma, false, m => m.MeanLuma),
        new("overexposed", "mean luma, 0..255", "frame.max_mean_luma", t.MaxMeanLuma, true, m => m.MeanLuma),
        new("low_texture", "mean luma gradient of the 32x32 thumbnail", "frame.min_texture", t.MinTexture, false, m => m.Texture),
        new("duplicate", "mean luma change from the previous frame", "frame.min_change", t.MinChange, false, m => m.Change),
    ];

    /// <summary>The checks that make up the SimSIN authors' own failure rule, for comparison.</summary>
    public static readonly IReadOnlySet<string> SimSinRule = new HashSet<string> { "depth_median", "depth_p20", "depth_spread" };
}

/// <summary>Why something was flagged: which check, what was measured, against which threshold.</summary>
public sealed record Reason(string Check, double Value, double Threshold)
{
    /// <summary>For a sequence reason built from frame flags: how many frames failed, and their median measurement.</summary>
    public string? Detail { get; init; }

    public override string ToString() => $"{Check} {Value:0.###} (threshold {Threshold:0.###}){(Detail is null ? "" : $": {Detail}")}";
}

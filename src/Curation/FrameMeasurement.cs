using System.Text.Json;
using DistDepth.Dataset;

namespace DistDepth.Curation;

/// <summary>
/// What curation measures in one frame. Depth figures are null without ground-truth depth (real
/// cameras), Collided without a simulator's report, Position/Rotation without a known pose.
/// </summary>
public sealed record FrameMeasurement
{
    public required int FrameIndex { get; init; }
    /// <summary>Share of valid depth pixels nearer than frame.near_depth_m.</summary>
    public double? NearFraction { get; init; }
    /// <summary>Share of pixels with depth 0 (no surface: void, or out of the sensor's range).</summary>
    public double? InvalidFraction { get; init; }
    /// <summary>SimSIN's statistics over all pixels, invalid ones counted as 0 m as habitat's sensor reports void.</summary>
    public double? MedianDepthM { get; init; }
    public double? P20DepthM { get; init; }
    public double? P80DepthM { get; init; }
    /// <summary>Mean luma of the left image, 0..255.</summary>
    public required double MeanLuma { get; init; }
    /// <summary>Mean absolute luma gradient of the left image at <see cref="LumaThumbnail.Size"/>², luma units per cell.</summary>
    public required double Texture { get; init; }
    /// <summary>Mean absolute luma difference to the previous frame's thumbnail; null for a sequence's first frame.</summary>
    public double? Change { get; init; }
    public bool? Collided { get; init; }
    public float[]? Pose { get; init; }

    public double? DepthSpreadM => P80DepthM - P20DepthM;
}

/// <summary>Decodes one frame and measures it, in a single pass over each image.</summary>
public static class FrameAnalyzer
{
    public static (FrameMeasurement Measurement, LumaThumbnail Thumbnail) Measure(StereoFrame frame, double nearDepthM)
    {
        var rgb = ImageCodec.DecodeRgb(frame.Left);
        var thumbnail = LumaThumbnail.Of(rgb, out double meanLuma);
        var m = new FrameMeasurement
        {
            FrameIndex = frame.FrameIndex,
            MeanLuma = meanLuma,
            Texture = thumbnail.Texture(),
            Collided = Collided(frame.MetaJson),
            Pose = frame.Pose.Length == 12 && frame.Pose.All(float.IsFinite) ? frame.Pose : null,
        };
        return (frame.Depth is null ? m : WithDepth(m, frame.Depth, nearDepthM), thumbnail);
    }

    static FrameMeasurement WithDepth(FrameMeasurement m, byte[] png, double nearDepthM)
    {
        var mm = ImageCodec.DecodeUInt16(png, out _, out _);
        // A histogram instead of a sort: linear time, and 1 mm bins up to 8 m are exact where thresholds live.
        const int fine = 8192, coarseStep = 64;
        Span<int> bins = stackalloc int[fine + (ushort.MaxValue - fine) / coarseStep + 1];
        bins.Clear();
        int near = 0, invalid = 0, nearMm = (int)Math.Round(nearDepthM * 1000);
        foreach (var d in mm)
        {
            bins[d < fine ? d : fine + (d - fine) / coarseStep]++;
            if (d == 0) invalid++;
            else if (d < nearMm) near++;
        }
        int valid = mm.Length - invalid;
        return m with
        {
            NearFraction = valid > 0 ? (double)near / valid : 0,
            InvalidFraction = (double)invalid / mm.Length,
            MedianDepthM = Percentile(bins, mm.Length, 0.5, fine, coarseStep),
            P20DepthM = Percentile(bins, mm.Length, 0.2, fine, coarseStep),
            P80DepthM = Percentile(bins, mm.Length, 0.8, fine, coarseStep),
        };
    }

    static double Percentile(ReadOnlySpan<int> bins, int count, double p, int fine, int coarseStep)
    {
        long rank = (long)(p * (count - 1)), seen = 0;
        for (int b = 0; b < bins.Length; b++)
            if ((seen += bins[b]) > rank) return (b < fine ? b : fine + (b - fine) * coarseStep) / 1000.0;
        return ushort.MaxValue / 1000.0;
    }

    static bool? Collided(string metaJson)
    {
        if (!metaJson.Contains("\"collided\"")) return null;
        using var doc = JsonDocument.Parse(metaJson);
        return doc.RootElement.TryGetProperty("collided", out var c) && c.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? c.GetBoolean() : null;
    }
}

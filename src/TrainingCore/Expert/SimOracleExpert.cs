using System.Text.Json.Nodes;
using DistDepth.Dataset;

namespace DistDepth.TrainingCore.Expert;

/// <summary>
/// A testing aid, not an expert: relative inverse depth made from the simulator's ground-truth depth,
/// with scale and shift removed so it carries no more than a real relative-depth model would.
/// Per frame, E = (1/d - min(1/d)) / median(1/d - min(1/d)) over valid pixels: zero at the farthest
/// point, median one, strictly decreasing in depth, and unchanged when all depths are scaled.
/// Invalid pixels (no geometry) get 0, as if infinitely far.
/// </summary>
public sealed class SimOracleExpert : DepthExpert
{
    public override JsonObject Label => new()
    {
        ["kind"] = "sim-oracle",
        ["testing_aid"] = true,
        ["note"] = "made from simulator ground-truth depth (scale and shift removed); for testing the pipeline, not a learned expert",
    };

    public override float[] Predict(StereoFrame frame)
    {
        if (frame.Source != FrameSource.Sim || frame.Depth is null)
            throw new InvalidDataException(
                $"sequence '{frame.SequenceId}' frame {frame.FrameIndex} has no simulator ground-truth depth (source {frame.Source.ToString().ToLowerInvariant()}, " +
                $"depth {(frame.Depth is null ? "absent" : "present")}); --expert sim-oracle is a testing aid for simulated data only");
        var depth = ImageCodec.DecodeDepth(frame.Depth).Metres;
        var inverse = new float[depth.Length];
        for (int i = 0; i < depth.Length; i++) inverse[i] = depth[i] > 0 ? 1 / depth[i] : float.NaN;

        var valid = inverse.Where(v => !float.IsNaN(v)).ToArray();
        if (valid.Length == 0) return new float[depth.Length];
        float shift = valid.Min();
        for (int i = 0; i < valid.Length; i++) valid[i] -= shift;
        Array.Sort(valid);
        float spread = valid[valid.Length / 2];
        // A view where half the pixels share the farthest depth (a flat wall) has no spread to divide by.
        if (!(spread > 0)) spread = valid[^1] > 0 ? valid[^1] : 1;

        for (int i = 0; i < inverse.Length; i++)
            inverse[i] = float.IsNaN(inverse[i]) ? 0 : (inverse[i] - shift) / spread;
        return inverse;
    }
}

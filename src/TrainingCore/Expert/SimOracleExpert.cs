using System.Text.Json.Nodes;
using DistDepth.Dataset;

namespace DistDepth.TrainingCore.Expert;

/// <summary>
/// A testing aid, not an expert: relative inverse depth made from the simulator's ground-truth depth,
/// with its scale removed: E = NormalisedMedian * (1/d) / median(1/d) over valid pixels, strictly
/// decreasing in depth and unchanged when all depths are scaled. Scale only, not shift: DistDepth's expert
/// (DPT-Hybrid fine-tuned on NYUv2) predicts inverse depth with one fixed scale and shift, close to this,
/// and the pseudo depth 1 / (E + 1) of a shift-free map is proportional to depth, where a shifted one (the far
/// end at E = 0) turned the farthest pixels into outliers hundreds of times the median.
/// Invalid pixels (no geometry) get 0, which distillation masks out.
/// </summary>
public sealed class SimOracleExpert : DepthExpert
{
    public override JsonObject Label => new()
    {
        ["kind"] = "sim-oracle",
        ["testing_aid"] = true,
        ["note"] = "made from simulator ground-truth depth (scale removed, median 1000); for testing the pipeline, not a learned expert",
    };

    public override float[] Predict(StereoFrame frame)
    {
        if (frame.Source != FrameSource.Sim || frame.Depth is null)
            throw new InvalidDataException(
                $"sequence '{frame.SequenceId}' frame {frame.FrameIndex} has no simulator ground-truth depth (source {frame.Source.ToString().ToLowerInvariant()}, " +
                $"depth {(frame.Depth is null ? "absent" : "present")}); --expert sim-oracle is a testing aid for simulated data only");
        var depth = ImageCodec.DecodeDepth(frame.Depth).Metres;
        var inverse = new float[depth.Length];
        for (int i = 0; i < depth.Length; i++) inverse[i] = depth[i] > 0 ? 1 / depth[i] : 0;
        ScaleToNormalisedMedian(inverse);
        return inverse;
    }
}

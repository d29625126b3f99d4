using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Networks;

/// <summary>
/// Sigmoid output to depth: D = k / (1/max + (1/min - 1/max) * sigma).
/// DistDepth's code uses k = 1.312 because it warps with a 0.1 "unit" baseline; we warp with the
/// metric baseline itself, so k = 1 and the depth produced here is metric (metres) directly.
/// </summary>
public sealed record DisparityToDepth(double MinDepth = 0.1, double MaxDepth = 10.0)
{
    public Tensor Depth(Tensor sigmoid)
    {
        double minDisp = 1.0 / MaxDepth, maxDisp = 1.0 / MinDepth;
        return (sigmoid * (maxDisp - minDisp) + minDisp).reciprocal();
    }

    /// <summary>The sigmoid value that maps to <paramref name="depth"/> metres.</summary>
    public double Sigmoid(double depth) => (1 / depth - 1 / MaxDepth) / (1 / MinDepth - 1 / MaxDepth);
}

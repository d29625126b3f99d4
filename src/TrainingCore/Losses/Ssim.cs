using TorchSharp;
using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Losses;

/// <summary>
/// Per-pixel SSIM dissimilarity clamp((1 - SSIM) / 2, 0, 1) over 3x3 windows (average pooling on
/// reflection-padded inputs, C1 = 0.01^2, C2 = 0.03^2), per channel.
/// </summary>
public static class Ssim
{
    const double C1 = 0.01 * 0.01, C2 = 0.03 * 0.03;

    public static Tensor Dissimilarity(Tensor a, Tensor b)
    {
        a = nn.functional.pad(a, [1, 1, 1, 1], PaddingModes.Reflect);
        b = nn.functional.pad(b, [1, 1, 1, 1], PaddingModes.Reflect);
        Tensor Mean(Tensor t) => nn.functional.avg_pool2d(t, 3, 1);
        var muA = Mean(a);
        var muB = Mean(b);
        var varA = Mean(a * a) - muA * muA;
        var varB = Mean(b * b) - muB * muB;
        var covariance = Mean(a * b) - muA * muB;
        var numerator = (2 * muA * muB + C1) * (2 * covariance + C2);
        var denominator = (muA * muA + muB * muB + C1) * (varA + varB + C2);
        return ((1 - numerator / denominator) / 2).clamp(0, 1);
    }
}

using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Losses;

/// <summary>pe(a, b) = 0.85 * SSIM dissimilarity + 0.15 * L1, each averaged over channels: [B,1,H,W].</summary>
public static class PhotometricLoss
{
    const double SsimWeight = 0.85;

    public static Tensor Error(Tensor predicted, Tensor target)
    {
        var l1 = (predicted - target).abs().mean([1], keepdim: true);
        var ssim = Ssim.Dissimilarity(predicted, target).mean([1], keepdim: true);
        return SsimWeight * ssim + (1 - SsimWeight) * l1;
    }
}

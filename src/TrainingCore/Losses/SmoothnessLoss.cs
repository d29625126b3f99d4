using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Losses;

/// <summary>
/// Edge-aware smoothness: mean(|dx d| e^-|dx I|) + mean(|dy d| e^-|dy I|) on mean-normalised
/// disparity (normalising removes the trivial win of shrinking all disparities), image gradients
/// averaged over channels.
/// </summary>
public static class SmoothnessLoss
{
    public static Tensor Loss(Tensor disparity, Tensor image)
    {
        var d = disparity / (disparity.mean([2, 3], keepdim: true) + 1e-7);
        var dxD = (d[.., .., .., ..^1] - d[.., .., .., 1..]).abs();
        var dyD = (d[.., .., ..^1, ..] - d[.., .., 1.., ..]).abs();
        var dxI = (image[.., .., .., ..^1] - image[.., .., .., 1..]).abs().mean([1], keepdim: true);
        var dyI = (image[.., .., ..^1, ..] - image[.., .., 1.., ..]).abs().mean([1], keepdim: true);
        return (dxD * (-dxI).exp()).mean() + (dyD * (-dyI).exp()).mean();
    }
}

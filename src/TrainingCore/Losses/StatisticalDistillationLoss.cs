using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Losses;

/// <summary>
/// Statistical distillation: the expert's relative inverse depth E becomes pseudo depth
/// D_e = 1 / (E + 1), aligned to the student by least squares D ~ a * D_e + b with a, b detached,
/// and L_stat = mean clamp((1 - SSIM(D_t, D)) / 2, 0, 1) on raw metric depth.
/// The default fit is one (a, b) per image (the plain form: one scale and shift per expert map, as
/// the expert's ambiguity is global); <c>rowwise</c> fits one per image row like DistDepth's code.
/// </summary>
public sealed record StatisticalDistillationLoss(bool Rowwise = false)
{
    // Guards the fit against a constant expert row/image (zero variance).
    const double VarianceEps = 1e-8;

    /// <returns>D_t [B,1,H,W], the expert in the student's metric scale, without gradient.</returns>
    public Tensor AlignedExpert(Tensor expert, Tensor studentDepth)
    {
        using var _ = no_grad();
        long[] dims = Rowwise ? [3] : [2, 3];
        var pseudo = (expert + 1).reciprocal();
        var depth = studentDepth.detach();
        var meanPseudo = pseudo.mean(dims, keepdim: true);
        var meanDepth = depth.mean(dims, keepdim: true);
        var centred = pseudo - meanPseudo;
        var scale = (centred * (depth - meanDepth)).mean(dims, keepdim: true)
                    / (centred.square().mean(dims, keepdim: true) + VarianceEps);
        var shift = meanDepth - scale * meanPseudo;
        return scale * pseudo + shift;
    }

    public Tensor Loss(Tensor alignedExpert, Tensor studentDepth) =>
        Ssim.Dissimilarity(alignedExpert, studentDepth).mean();
}

using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Losses;

/// <summary>How the expert's pseudo depth D_e is brought to the student's metric scale (detached).</summary>
public enum ExpertAlignment
{
    /// <summary>Least squares D ~ a * D_e + b, one (a, b) per image: the plain form (the expert's ambiguity is global).</summary>
    Affine,
    /// <summary>One (a, b) per image row, as DistDepth's latest code fits it.</summary>
    Rowwise,
    /// <summary>D_e * median(D) / median(D_e) per image, as DistDepth's earlier revisions did. Unlike a
    /// fitted scale it never collapses: a flat student still gets the expert's layout as its target.</summary>
    Median,
}

/// <summary>
/// Statistical distillation: the expert's relative inverse depth E becomes pseudo depth
/// D_e = 1 / (E + 1), aligned to the student (<see cref="ExpertAlignment"/>),
/// and L_stat = mean clamp((1 - SSIM(D_t, D)) / 2, 0, 1) on raw metric depth.
/// </summary>
public sealed record StatisticalDistillationLoss(ExpertAlignment Alignment = ExpertAlignment.Affine)
{
    // Guards the fit against a constant expert row/image (zero variance).
    const double VarianceEps = 1e-8;

    /// <returns>D_t [B,1,H,W], the expert in the student's metric scale, without gradient.</returns>
    public Tensor AlignedExpert(Tensor expert, Tensor studentDepth)
    {
        using var _ = no_grad();
        var pseudo = (expert + 1).reciprocal();
        var depth = studentDepth.detach();
        if (Alignment == ExpertAlignment.Median)
        {
            long b = pseudo.shape[0];
            var ratio = Median(depth.reshape(b, -1)) / Median(pseudo.reshape(b, -1));
            return pseudo * ratio.view(b, 1, 1, 1);
        }
        long[] dims = Alignment == ExpertAlignment.Rowwise ? [3] : [2, 3];
        var meanPseudo = pseudo.mean(dims, keepdim: true);
        var meanDepth = depth.mean(dims, keepdim: true);
        var centred = pseudo - meanPseudo;
        var scale = (centred * (depth - meanDepth)).mean(dims, keepdim: true)
                    / (centred.square().mean(dims, keepdim: true) + VarianceEps);
        var shift = meanDepth - scale * meanPseudo;
        return scale * pseudo + shift;
    }

    /// <summary>Per row, the lower median as torch.median gives it.</summary>
    static Tensor Median(Tensor rows) => rows.sort(1).Values.select(1, (rows.shape[1] - 1) / 2);

    public Tensor Loss(Tensor alignedExpert, Tensor studentDepth) =>
        Ssim.Dissimilarity(alignedExpert, studentDepth).mean();
}

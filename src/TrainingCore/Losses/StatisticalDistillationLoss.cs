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
/// and L_stat = mean clamp((1 - SSIM(D_t / m, D / m)) / 2, 0, 1), m the student's detached median (see <see cref="Loss"/>).
/// E = 0 marks a pixel the expert has no value for (a stereo matcher's rejected match, no geometry):
/// it takes no part in the fit, the aligned map takes the student's own depth there (no SSIM
/// difference, no edge), and the mean runs over the valid pixels only.
/// </summary>
public sealed record StatisticalDistillationLoss(ExpertAlignment Alignment = ExpertAlignment.Affine)
{
    // Guards the fit against a constant expert row/image (zero variance).
    const double VarianceEps = 1e-8;

    /// <summary>1 where the expert has a value (E &gt; 0), else 0; [B,1,H,W].</summary>
    public static Tensor ValidMask(Tensor expert) => (expert > 0).to(expert.dtype);

    /// <returns>D_t [B,1,H,W], the expert in the student's metric scale (the student's depth where E = 0), without gradient.</returns>
    public Tensor AlignedExpert(Tensor expert, Tensor studentDepth)
    {
        using var _ = no_grad();
        var pseudo = (expert + 1).reciprocal();
        var depth = studentDepth.detach();
        var valid = ValidMask(expert);
        Tensor aligned;
        if (Alignment == ExpertAlignment.Median)
        {
            long b = pseudo.shape[0];
            var ratio = Median(depth.reshape(b, -1), valid.reshape(b, -1)) / Median(pseudo.reshape(b, -1), valid.reshape(b, -1));
            aligned = pseudo * ratio.view(b, 1, 1, 1);
        }
        else
        {
            long[] dims = Alignment == ExpertAlignment.Rowwise ? [3] : [2, 3];
            var count = valid.sum(dims, keepdim: true).clamp_min(1);
            Tensor Mean(Tensor t) => (t * valid).sum(dims, keepdim: true) / count;
            var meanPseudo = Mean(pseudo);
            var meanDepth = Mean(depth);
            var centred = pseudo - meanPseudo;
            var scale = Mean(centred * (depth - meanDepth)) / (Mean(centred.square()) + VarianceEps);
            var shift = meanDepth - scale * meanPseudo;
            aligned = scale * pseudo + shift;
        }
        return where(valid > 0, aligned, depth);
    }

    /// <summary>Per row, the lower median of the valid entries, as torch.median gives it (invalid ones sort last).</summary>
    static Tensor Median(Tensor rows, Tensor valid)
    {
        var sorted = where(valid > 0, rows, full_like(rows, double.PositiveInfinity)).sort(1).Values;
        var middle = ((valid.sum(1, keepdim: true) - 1).clamp_min(0) / 2).floor().to(int64);
        return sorted.gather(1, middle).squeeze(1);
    }

    /// <summary>
    /// SSIM dissimilarity of both maps divided by the student's detached median (over valid pixels) per image.
    /// DistDepth compares raw metres; there SSIM's constants, sized for values of order 1, make the
    /// dissimilarity fall as both maps shrink, and the aligned expert follows the student's scale, so from
    /// ImageNet weights the student learned to shrink its whole map to a few centimetres (RESULTS, issue 14).
    /// Divided, the term sees only the layout and leaves the scale to the photometric term.
    /// </summary>
    /// <param name="valid">From <see cref="ValidMask"/>; null = every pixel.</param>
    public Tensor Loss(Tensor alignedExpert, Tensor studentDepth, Tensor? valid = null)
    {
        long b = studentDepth.shape[0];
        var mask = valid ?? ones_like(studentDepth);
        var median = Median(studentDepth.detach().reshape(b, -1), mask.reshape(b, -1)).view(b, 1, 1, 1);
        median = where(median.isfinite(), median, ones_like(median));     // an image without one valid pixel
        var dissimilarity = Ssim.Dissimilarity(alignedExpert / median, studentDepth / median);
        return (dissimilarity * mask).sum() / mask.sum().clamp_min(1);
    }
}

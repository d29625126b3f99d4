using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Losses;

/// <summary>
/// Spatial refinement (the paper's relaxed "Hamming distance" between edge maps): where the aligned
/// expert has its strongest edges (above its per-sample <c>EdgeQuantile</c> of Sobel magnitude), the
/// student's soft-binarised edge softsign(E_p - tau_p) is pulled to +1 with a Huber loss.
/// tau_p is the batch quantile of the student's magnitudes, detached so the threshold does not chase
/// the prediction. Magnitudes are L2-normalised per sample (scale-free edges) and a 5 px border is
/// cropped (Sobel and reflection artefacts). Student edges outside the expert's are not penalised,
/// nor are pixels whose 3x3 Sobel window touches one the expert has no value for (E = 0).
/// </summary>
public sealed record SpatialRefinementLoss(double EdgeQuantile = 0.95, double HuberDelta = 0.8, double Weight = 0.02)
{
    const int Border = 5;

    /// <param name="valid">StatisticalDistillationLoss.ValidMask of the expert; null = every pixel.</param>
    public Tensor Loss(Tensor alignedExpert, Tensor studentDepth, Tensor? valid = null)
    {
        var expertEdges = EdgeMagnitude(alignedExpert);
        var studentEdges = EdgeMagnitude(studentDepth);
        var q = tensor(EdgeQuantile, dtype: studentEdges.dtype, device: studentEdges.device);
        var expertThreshold = expertEdges.quantile(q, 1, keepdim: true);
        var targetEdges = expertEdges > expertThreshold;
        if (valid is not null)
        {
            // A 3x3 minimum: valid only where the whole Sobel window is.
            var interior = -nn.functional.max_pool2d(-valid, 3, 1, 1);
            targetEdges = targetEdges.logical_and(interior[.., 0, Border..^Border, Border..^Border].flatten(1) > 0);
        }
        var studentThreshold = studentEdges.detach().flatten().quantile(q);
        var soft = nn.functional.softsign(studentEdges - studentThreshold).masked_select(targetEdges);
        if (soft.numel() == 0) return zeros(1, dtype: soft.dtype, device: soft.device).sum();
        return Weight * nn.functional.huber_loss(soft, ones_like(soft), HuberDelta);
    }

    /// <returns>[B, (H-10)*(W-10)] L2-normalised Sobel magnitudes, border cropped.</returns>
    static Tensor EdgeMagnitude(Tensor depth)
    {
        var kx = tensor(new float[] { -1, 0, 1, -2, 0, 2, -1, 0, 1 }, dtype: depth.dtype, device: depth.device).view(1, 1, 3, 3);
        var gx = nn.functional.conv2d(depth, kx, padding: [1, 1]);
        var gy = nn.functional.conv2d(depth, kx.transpose(2, 3), padding: [1, 1]);
        var magnitude = (gx.square() + gy.square() + 1e-6).sqrt();
        var normalised = nn.functional.normalize(magnitude.flatten(1), p: 2, dim: 1).view_as(magnitude);
        return normalised[.., 0, Border..^Border, Border..^Border].flatten(1);
    }
}

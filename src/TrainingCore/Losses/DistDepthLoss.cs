using DistDepth.TrainingCore.Geometry;
using DistDepth.TrainingCore.Networks;
using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Losses;

/// <summary>Everything the loss needs about one batch. Images are the un-augmented ones, [B,3,H,W] in [0,1].</summary>
/// <param name="Intrinsics">[B,4,4] K in pixels at H x W.</param>
/// <param name="Baseline">[B] stereo baseline in metres.</param>
/// <param name="Flipped">[B] bool, sample was mirrored (stereo direction swapped).</param>
/// <param name="Expert">[B,1,H,W] the expert's relative inverse depth (non-negative; 0 = no value, masked out).</param>
public sealed record LossInputs(
    Tensor Target, Tensor Previous, Tensor Next, Tensor Right,
    Tensor Intrinsics, Tensor Baseline, Tensor Flipped, Tensor Expert);

/// <summary>What the networks produced for one batch.</summary>
/// <param name="Disparities">Sigmoid disparities at scales 0..3.</param>
/// <param name="ToPrevious">Target-to-previous-frame transform [B,4,4].</param>
/// <param name="ToNext">Target-to-next-frame transform [B,4,4].</param>
public sealed record NetworkOutputs(Tensor[] Disparities, Tensor ToPrevious, Tensor ToNext);

public sealed record LossTerms(Tensor Total, Tensor Photometric, Tensor Statistical, Tensor Spatial);

/// <summary>Options of the DistDepth objective (METHOD.md item 7). The defaults are the released code's latest revision.</summary>
/// <param name="DistillWeight">w_dist; 0 gives the monodepth2-style baseline (--no-distill).</param>
/// <param name="SpatialWeight">The spatial refinement term's own coefficient.</param>
public sealed record DistDepthLossOptions(
    double DistillWeight = 0.05, double EdgeQuantile = 0.95, ExpertAlignment Alignment = ExpertAlignment.Affine,
    double SpatialWeight = 0.02, double MinDepth = 0.1, double MaxDepth = 10.0)
{
    public DistDepthLossOptions WithoutDistillation() => this with { DistillWeight = 0 };

    /// <summary>The code's earlier revisions: w_dist 1, median alignment, spatial coefficient 0.001.</summary>
    public DistDepthLossOptions EarlyRevision() => this with { DistillWeight = 1, Alignment = ExpertAlignment.Median, SpatialWeight = 0.001 };
}

/// <summary>
/// L = L_photo + w_dist * (L_stat + L_spatial), with
/// L_photo = (1/4) * sum_s [mean(min-reprojection) + 1e-3 * smoothness / 2^s].
/// Every scale's disparity is upsampled to full resolution for warping (so all scales are judged on
/// the same pixels); smoothness uses each scale's own disparity and the image area-downsampled to it.
/// </summary>
public sealed class DistDepthLoss(DistDepthLossOptions options, Func<long[], Tensor>? identityNoise = null)
{
    const double SmoothnessWeight = 1e-3;

    readonly DisparityToDepth toDepth = new(options.MinDepth, options.MaxDepth);
    readonly StatisticalDistillationLoss statistical = new(options.Alignment);
    readonly SpatialRefinementLoss spatial = new(options.EdgeQuantile, Weight: options.SpatialWeight);
    readonly Func<long[], Tensor> noise = identityNoise ?? (shape => randn(shape) * MinimumReprojectionLoss.IdentityNoiseScale);

    public DisparityToDepth DepthMapping => toDepth;

    public LossTerms Compute(LossInputs inputs, NetworkOutputs outputs)
    {
        long h = inputs.Target.shape[2], w = inputs.Target.shape[3];
        var transforms = new[] { outputs.ToPrevious, outputs.ToNext, RigidTransform.Stereo(inputs.Baseline, inputs.Flipped) };
        var sources = new[] { inputs.Previous, inputs.Next, inputs.Right };
        var identity = MinimumReprojectionLoss.IdentityErrors(inputs.Target, sources);

        var photometric = zeros(1).sum();
        for (int s = 0; s < outputs.Disparities.Length; s++)
        {
            var disparity = outputs.Disparities[s];
            var fullResolution = s == 0 ? disparity
                : nn.functional.interpolate(disparity, [h, w], mode: InterpolationMode.Bilinear, align_corners: false);
            var depth = toDepth.Depth(fullResolution);
            var warped = sources.Select((src, k) => ViewSynthesis.Warp(src, depth, inputs.Intrinsics, transforms[k])).ToArray();
            var reprojection = MinimumReprojectionLoss.Loss(inputs.Target, warped, identity, noise(identity.shape));
            var image = s == 0 ? inputs.Target : nn.functional.avg_pool2d(inputs.Target, 1L << s);
            photometric += reprojection + SmoothnessWeight * SmoothnessLoss.Loss(disparity, image) / (1 << s);
        }
        photometric /= outputs.Disparities.Length;

        if (options.DistillWeight == 0)
        {
            var none = zeros_like(photometric);
            return new LossTerms(photometric, photometric, none, none);
        }
        var studentDepth = toDepth.Depth(outputs.Disparities[0]);
        var aligned = statistical.AlignedExpert(inputs.Expert, studentDepth);
        var valid = StatisticalDistillationLoss.ValidMask(inputs.Expert);
        var stat = statistical.Loss(aligned, studentDepth, valid);
        var edges = spatial.Loss(aligned, studentDepth, valid);
        return new LossTerms(photometric + options.DistillWeight * (stat + edges), photometric, stat, edges);
    }
}

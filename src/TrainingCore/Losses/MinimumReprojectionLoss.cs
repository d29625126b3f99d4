using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Losses;

/// <summary>
/// Per-pixel minimum over the warped-source errors and the identity errors pe(I_k, I_0) of the
/// unwarped sources (auto-masking: pixels that look static across frames choose the identity and
/// stop pulling on depth), then the mean. The identity errors carry N(0,1) * 1e-5 noise to break
/// ties; the caller passes that noise so runs and golden tests can be made deterministic.
/// </summary>
public static class MinimumReprojectionLoss
{
    public const double IdentityNoiseScale = 1e-5;

    /// <returns>[B,K,H,W] identity errors, one channel per source; independent of depth, so computed once per step.</returns>
    public static Tensor IdentityErrors(Tensor target, IReadOnlyList<Tensor> sources) =>
        cat(sources.Select(s => PhotometricLoss.Error(s, target)).ToArray(), 1);

    /// <param name="identityNoise">[B,K,H,W], already scaled (N(0,1) * <see cref="IdentityNoiseScale"/>).</param>
    public static Tensor Loss(Tensor target, IReadOnlyList<Tensor> warpedSources, Tensor identityErrors, Tensor identityNoise)
    {
        var reprojection = cat(warpedSources.Select(w => PhotometricLoss.Error(w, target)).ToArray(), 1);
        return cat([identityErrors + identityNoise, reprojection], 1).amin([1]).mean();
    }
}

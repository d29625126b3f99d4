using DistDepth.TrainingCore.Geometry;
using DistDepth.TrainingCore.Losses;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Tests;

/// <summary>
/// A synthetic stereo pair rendered exactly: a textured surface whose depth varies only with the
/// row, so every row has one disparity d = f * B / Z and the right view is the left texture shifted
/// by d (I_r(u) = I_l(u + d)). Warping with the true metric depth must bring the photometric loss to
/// its floor; doubling the depth halves the disparity and must not.
/// </summary>
public class StereoWarpingTests(ITestOutputHelper output)
{
    const int H = 64, W = 96, Margin = 16;
    const float Focal = 48, Baseline = 0.1312f;

    static Tensor Texture(Tensor u, Tensor v) => stack(
    [
        0.5 + 0.25 * (0.35 * u + 0.2 * v).sin() + 0.2 * (0.21 * u - 0.3 * v).cos(),
        0.5 + 0.3 * (0.27 * u + 0.5).sin() * (0.19 * v).cos(),
        0.5 + 0.25 * (0.4 * u - 0.15 * v + 1).sin() + 0.15 * (0.1 * u).cos(),
    ], 0).unsqueeze(0);

    static (Tensor left, Tensor right, Tensor depth) RenderPair()
    {
        var v = arange(H, dtype: float32).view(H, 1).expand(H, W);
        var u = arange(W, dtype: float32).view(1, W).expand(H, W);
        var depth = 0.6f + v / H;                      // 0.6 m at the top to 1.6 m at the bottom
        var disparity = Focal * Baseline / depth;       // 4 to 11 px
        return (Texture(u, v), Texture(u + disparity, v), depth.view(1, 1, H, W));
    }

    static Tensor Intrinsics() => tensor(new float[]
    {
        Focal, 0, (W - 1) / 2f, 0,  0, Focal, (H - 1) / 2f, 0,  0, 0, 1, 0,  0, 0, 0, 1,
    }).view(1, 4, 4);

    static float StereoLoss(Tensor target, Tensor source, Tensor depth, bool flipped)
    {
        var transform = RigidTransform.Stereo(tensor(new[] { Baseline }), tensor(new[] { flipped }));
        var error = PhotometricLoss.Error(ViewSynthesis.Warp(source, depth, Intrinsics(), transform), target);
        // Target columns whose match falls outside the source carry no information.
        return error[.., .., .., Margin..^Margin].mean().item<float>();
    }

    [Fact]
    public void TrueDepthReachesTheFloorAndDoubledDepthDoesNot()
    {
        var (left, right, depth) = RenderPair();
        float atTruth = StereoLoss(left, right, depth, flipped: false);
        float atDouble = StereoLoss(left, right, depth * 2, flipped: false);
        output.WriteLine($"stereo photometric loss: true depth {atTruth:F5}, 2x depth {atDouble:F5}");
        Assert.True(atTruth < 0.01, $"loss at true depth {atTruth}");
        Assert.True(atDouble > 10 * atTruth && atDouble > 0.05, $"loss at 2x depth {atDouble} vs {atTruth}");
    }

    [Fact]
    public void MirroredPairNeedsTheFlippedBaselineSign()
    {
        var (left, right, depth) = RenderPair();
        // A horizontal flip makes the right camera appear on the left: same depth, opposite shift.
        var (mirroredLeft, mirroredRight, mirroredDepth) = (left.flip(3), right.flip(3), depth.flip(3));
        float withFlag = StereoLoss(mirroredLeft, mirroredRight, mirroredDepth, flipped: true);
        float withoutFlag = StereoLoss(mirroredLeft, mirroredRight, mirroredDepth, flipped: false);
        Assert.True(withFlag < 0.01, $"flipped loss {withFlag}");
        Assert.True(withoutFlag > 10 * withFlag, $"unflipped sign gives {withoutFlag} vs {withFlag}");
    }
}

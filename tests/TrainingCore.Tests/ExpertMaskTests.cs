using DistDepth.TrainingCore.Losses;
using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Tests;

/// <summary>E = 0 marks pixels the expert has no value for (stereo matching's rejects): both distillation losses leave them out.</summary>
public sealed class ExpertMaskTests
{
    const int Size = 32, HoleStart = 8, HoleEnd = 24;

    /// <summary>A layout (near at the bottom) with a square hole of zeros, as a stereo expert leaves where matching failed.</summary>
    static Tensor ExpertWithHole()
    {
        var expert = linspace(0.5, 4, Size * Size).view(1, 1, Size, Size).clone();
        expert[.., .., HoleStart..HoleEnd, HoleStart..HoleEnd] = 0;
        return expert;
    }

    [Theory]
    [InlineData(ExpertAlignment.Affine)]
    [InlineData(ExpertAlignment.Rowwise)]
    public void TheFitUsesOnlyValidPixels(ExpertAlignment alignment)
    {
        var expert = ExpertWithHole();
        var valid = StatisticalDistillationLoss.ValidMask(expert);
        // The student is exactly 3 * D_e + 0.5 where the expert is valid and far off in the hole:
        // a fit that used the hole's pixels would not reproduce it.
        var student = where(valid > 0, 3 * (expert + 1).reciprocal() + 0.5, full_like(expert, 9.0));
        var aligned = new StatisticalDistillationLoss(alignment).AlignedExpert(expert, student);
        Assert.True((aligned - student).abs().max().item<float>() < 1e-4, $"{alignment}: aligned expert differs from the exact fit");
    }

    [Fact]
    public void TheMedianScaleUsesOnlyValidPixels()
    {
        var expert = ExpertWithHole();
        var valid = StatisticalDistillationLoss.ValidMask(expert);
        var student = where(valid > 0, 2 * (expert + 1).reciprocal(), full_like(expert, 50.0));
        var aligned = new StatisticalDistillationLoss(ExpertAlignment.Median).AlignedExpert(expert, student);
        Assert.True((aligned - student).abs().max().item<float>() < 1e-5);
    }

    [Fact]
    public void NeitherLossHasGradientInsideTheHole()
    {
        var expert = ExpertWithHole();
        var valid = StatisticalDistillationLoss.ValidMask(expert);
        manual_seed(3);
        var student = (rand(1, 1, Size, Size) * 3 + 0.5).requires_grad_();
        var statistical = new StatisticalDistillationLoss();
        var aligned = statistical.AlignedExpert(expert, student);
        var loss = statistical.Loss(aligned, student, valid) + new SpatialRefinementLoss(EdgeQuantile: 0.5, Weight: 1).Loss(aligned, student, valid);
        loss.backward();
        var grad = student.grad!;
        Assert.True(grad.abs().sum().item<float>() > 0, "the valid pixels do get a gradient");
        // SSIM's and Sobel's 3x3 windows reach one pixel into the hole from its valid border.
        var inside = grad[.., .., (HoleStart + 2)..(HoleEnd - 2), (HoleStart + 2)..(HoleEnd - 2)];
        Assert.Equal(0f, inside.abs().max().item<float>());
    }
}

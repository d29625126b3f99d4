using DistDepth.TrainingCore.Losses;
using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Tests;

/// <summary>Why `--distill-revision early` exists: what each alignment asks of a student that is still flat.</summary>
public sealed class DistillationAlignmentTests
{
    // A layout: near at the bottom, far at the top (E > 0 everywhere: 0 marks a pixel without a value).
    static readonly Tensor Expert = linspace(0.05, 4, 32 * 32).view(1, 1, 32, 32);
    static readonly Tensor FlatStudent = full(1, 1, 32, 32, 2f);                 // the untrained network, 2 m everywhere

    static double Spread(Tensor t) => t.std().item<float>();

    [Fact]
    public void A_least_squares_fit_to_a_flat_student_gives_a_flat_target()
    {
        var target = new StatisticalDistillationLoss(ExpertAlignment.Affine).AlignedExpert(Expert, FlatStudent);
        Assert.True(Spread(target) < 1e-4, $"target spread {Spread(target)}");
    }

    [Fact]
    public void Median_scaling_keeps_the_experts_layout_at_the_students_scale()
    {
        var target = new StatisticalDistillationLoss(ExpertAlignment.Median).AlignedExpert(Expert, FlatStudent);
        Assert.True(Spread(target) > 0.1, $"target spread {Spread(target)}");
        Assert.Equal(2f, target.view(-1).sort().Values[(32 * 32 - 1) / 2].item<float>(), 4);
        var pseudo = (Expert + 1).reciprocal();
        Assert.True(((target / pseudo) - (target / pseudo).mean()).abs().max().item<float>() < 1e-5, "the target must be the pseudo depth times one scale");
    }

    [Fact]
    public void The_early_revision_loss_pulls_a_flat_student_towards_the_layout_and_the_latest_does_not()
    {
        var student = full(1, 1, 32, 32, 2f).requires_grad_();
        foreach (var (alignment, pulls) in new[] { (ExpertAlignment.Median, true), (ExpertAlignment.Affine, false) })
        {
            student.grad?.zero_();
            var loss = new StatisticalDistillationLoss(alignment);
            loss.Loss(loss.AlignedExpert(Expert, student), student).backward();
            var gradient = student.grad!.abs().max().item<float>();
            Assert.True(pulls ? gradient > 1e-6 : gradient < 1e-6, $"{alignment}: largest gradient {gradient}");
        }
    }

    [Fact]
    public void Shrinking_the_whole_map_does_not_lower_the_statistical_term()
    {
        // A student with some layout of its own, not yet the expert's.
        var student = 2 + 0.5 * sin(linspace(0, 12, 32 * 32)).view(1, 1, 32, 32);
        foreach (var alignment in new[] { ExpertAlignment.Median, ExpertAlignment.Affine })
        {
            var loss = new StatisticalDistillationLoss(alignment);
            double At(double scale) => loss.Loss(loss.AlignedExpert(Expert, student * scale), student * scale).item<float>();
            Assert.True(At(1) > 0.01, $"{alignment}: the layouts differ, so the term must not be 0 ({At(1)})");
            Assert.Equal(At(1), At(0.05), 4);      // the collapse issue 14's runs C and D found: 5 cm instead of 1 m
        }
    }
}

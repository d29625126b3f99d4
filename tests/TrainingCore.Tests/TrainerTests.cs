using DistDepth.TrainingCore.Losses;
using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Tests;

public class TrainerTests
{
    [Fact]
    public void StepUpdatesBothNetworksWithFiniteLoss()
    {
        manual_seed(1);
        var options = TrainingOptions.Paper with { DepthEncoderLayers = 18, PoseEncoderLayers = 18 };
        using var trainer = new DistDepthTrainer(options);
        var frame = () => rand(2, 3, 64, 64);
        var k = tensor(new float[] { 32, 0, 31.5f, 0, 0, 32, 31.5f, 0, 0, 0, 1, 0, 0, 0, 0, 1 }).view(1, 4, 4).repeat(2, 1, 1);
        var inputs = new LossInputs(frame(), frame(), frame(), frame(), k, tensor(new[] { 0.13f, 0.13f }),
            tensor(new[] { false, true }), rand(2, 1, 64, 64));
        var batch = new TrainingBatch(inputs.Target, inputs.Previous, inputs.Next, inputs);
        var depthBefore = trainer.Depth.parameters().First().clone();
        var poseBefore = trainer.Pose.parameters().First().clone();

        var (total, photometric, statistical, spatial) = trainer.Step(batch);

        Assert.True(float.IsFinite(total) && total > 0);
        Assert.Equal(photometric + options.Loss.DistillWeight * (statistical + spatial), total, 5);
        Assert.True((trainer.Depth.parameters().First() - depthBefore).abs().max().item<float>() > 0);
        Assert.True((trainer.Pose.parameters().First() - poseBefore).abs().max().item<float>() > 0);
    }

    [Fact]
    public void PresetsFollowPaperAndCode()
    {
        var (paper, code) = (TrainingOptions.Paper, TrainingOptions.Code);
        Assert.Equal((OptimizerKind.Adam, 2e-4, 24), (paper.Optimizer, paper.LearningRate, paper.BatchSize));
        Assert.Equal([8, 10], paper.DecayEpochs);
        Assert.Equal((OptimizerKind.AdamW, 1e-4, 15), (code.Optimizer, code.LearningRate, code.BatchSize));
        Assert.Equal([8], code.DecayEpochs);
        Assert.Equal(0.05, TrainingOptions.Paper.Loss.DistillWeight);
    }
}

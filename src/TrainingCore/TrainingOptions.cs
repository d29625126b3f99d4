using DistDepth.TrainingCore.Losses;

namespace DistDepth.TrainingCore;

public enum OptimizerKind { Adam, AdamW }

/// <summary>
/// Training hyper-parameters. Two presets because the paper and the released code disagree
/// (METHOD.md, Networks): <see cref="Paper"/> is the default.
/// </summary>
/// <param name="DecayEpochs">Epochs (0-based) at whose start the learning rate is multiplied by <paramref name="DecayFactor"/>.</param>
/// <param name="WeightDecay">Only used by AdamW (PyTorch's default 0.01; TorchSharp's own default is 0).</param>
/// <param name="EncoderWeights">Both encoders' start: "imagenet", "none" (random) or a torchvision state dict path (Networks.FeatureEncoder.Create).</param>
public sealed record TrainingOptions(
    OptimizerKind Optimizer, double LearningRate, int BatchSize, int Epochs,
    int[] DecayEpochs, double DecayFactor = 0.1, double WeightDecay = 0.01,
    int Width = 256, int Height = 256, int DepthEncoderLayers = 152, int PoseEncoderLayers = 50,
    string EncoderWeights = Networks.EncoderWeights.None)
{
    public DistDepthLossOptions Loss { get; init; } = new();

    /// <summary>The paper: Adam 2e-4, batch 24, 10 epochs, x0.1 at epochs 8 and 10.</summary>
    public static TrainingOptions Paper => new(OptimizerKind.Adam, 2e-4, 24, 10, [8, 10]);

    /// <summary>The released code's README command: AdamW 1e-4, batch 15, 10 epochs, StepLR(step 8) x0.1.</summary>
    public static TrainingOptions Code => new(OptimizerKind.AdamW, 1e-4, 15, 10, [8]);
}

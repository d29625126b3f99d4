using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Networks;

/// <summary>
/// Separate pose network on a frame pair stacked as 6 channels (monodepth2's "pairs" input,
/// earlier frame first) to the relative motion from the first to the second frame.
/// </summary>
public sealed class PoseNet : nn.Module<Tensor, Tensor, (Tensor axisAngle, Tensor translation)>
{
    readonly FeatureEncoder encoder;
    readonly PoseDecoder decoder;

    /// <inheritdoc cref="DepthNet(int, string, bool)"/>
    public PoseNet(int layers = 18, string weights = EncoderWeights.None, bool loadWeights = true) : base(nameof(PoseNet))
    {
        encoder = FeatureEncoder.Create(layers, 2, weights, loadWeights);
        decoder = new PoseDecoder(encoder.Channels[4]);
        RegisterComponents();
    }

    public override (Tensor axisAngle, Tensor translation) forward(Tensor first, Tensor second) =>
        decoder.forward(encoder.forward(cat([first, second], 1))[4]);
}

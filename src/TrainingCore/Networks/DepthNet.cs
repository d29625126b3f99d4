using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Networks;

/// <summary>The student: ResNet encoder + depth decoder, image [B,3,H,W] in [0,1] to four sigmoid disparities.</summary>
public sealed class DepthNet : nn.Module<Tensor, Tensor[]>
{
    readonly FeatureEncoder encoder;
    readonly DepthDecoder decoder;

    /// <param name="weights">Encoder initialisation (<see cref="FeatureEncoder.Create"/>).</param>
    /// <param name="loadWeights">False when a checkpoint will fill every weight.</param>
    public DepthNet(int layers = 18, string weights = EncoderWeights.None, bool loadWeights = true) : base(nameof(DepthNet))
    {
        encoder = FeatureEncoder.Create(layers, 1, weights, loadWeights);
        decoder = new DepthDecoder(encoder.Channels);
        RegisterComponents();
    }

    /// <inheritdoc cref="DepthDecoder.StartAt"/>
    public void StartAt(double sigmoid) => decoder.StartAt(sigmoid);

    public override Tensor[] forward(Tensor image) => decoder.forward(encoder.forward(image));
}

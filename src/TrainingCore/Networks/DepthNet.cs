using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Networks;

/// <summary>The student: ResNet encoder + depth decoder, image [B,3,H,W] in [0,1] to four sigmoid disparities.</summary>
public sealed class DepthNet : nn.Module<Tensor, Tensor[]>
{
    readonly ResnetEncoder encoder;
    readonly DepthDecoder decoder;

    public DepthNet(int layers = 18, string? imagenetWeights = null) : base(nameof(DepthNet))
    {
        encoder = new ResnetEncoder(layers, 1, imagenetWeights);
        decoder = new DepthDecoder(encoder.Channels);
        RegisterComponents();
    }

    /// <inheritdoc cref="DepthDecoder.StartAt"/>
    public void StartAt(double sigmoid) => decoder.StartAt(sigmoid);

    public override Tensor[] forward(Tensor image) => decoder.forward(encoder.forward(image));
}

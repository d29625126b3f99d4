using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Networks;

/// <summary>
/// Monodepth2-style decoder with DistDepth's bilinear upsampling: five levels of
/// (ConvBlock, 2x upsample, concat encoder skip, ConvBlock), a sigmoid disparity at the four finest.
/// </summary>
public sealed class DepthDecoder : nn.Module<Tensor[], Tensor[]>
{
    public const int Scales = 4;
    static readonly long[] DecoderChannels = [16, 32, 64, 128, 256];

    // Index = pyramid level (0 finest); "beforeUpsample" and "afterSkip" are monodepth2's upconv_i_0 / upconv_i_1.
    readonly ModuleList<ConvBlock> beforeUpsample = new(), afterSkip = new();
    readonly ModuleList<ConvBlock> dispConvs = new();

    public DepthDecoder(long[] encoderChannels) : base(nameof(DepthDecoder))
    {
        for (int i = 0; i < 5; i++)
        {
            long inChannels = i == 4 ? encoderChannels[4] : DecoderChannels[i + 1];
            beforeUpsample.Add(new ConvBlock(inChannels, DecoderChannels[i]));
            long skip = i > 0 ? encoderChannels[i - 1] : 0;
            afterSkip.Add(new ConvBlock(DecoderChannels[i] + skip, DecoderChannels[i]));
        }
        for (int s = 0; s < Scales; s++)
            dispConvs.Add(new ConvBlock(DecoderChannels[s], 1, elu: false));
        RegisterComponents();
    }

    /// <summary>Sets the output heads' biases so that an untrained decoder outputs about <paramref name="sigmoid"/> everywhere.</summary>
    public void StartAt(double sigmoid)
    {
        using var _ = no_grad();
        foreach (var head in dispConvs) head.Bias.fill_(Math.Log(sigmoid / (1 - sigmoid)));
    }

    /// <returns>Sigmoid disparities; element s has 1/2^s of the input resolution.</returns>
    public override Tensor[] forward(Tensor[] features)
    {
        var outputs = new Tensor[Scales];
        var x = features[4];
        for (int i = 4; i >= 0; i--)
        {
            x = beforeUpsample[i].forward(x);
            x = nn.functional.interpolate(x, scale_factor: [2.0, 2.0], mode: InterpolationMode.Bilinear, align_corners: false);
            if (i > 0) x = cat([x, features[i - 1]], 1);
            x = afterSkip[i].forward(x);
            if (i < Scales) outputs[i] = dispConvs[i].forward(x).sigmoid();
        }
        return outputs;
    }
}

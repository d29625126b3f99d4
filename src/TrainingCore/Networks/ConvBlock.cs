using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Networks;

/// <summary>Reflection-padded 3x3 convolution, optionally followed by ELU (monodepth2's ConvBlock / Conv3x3).</summary>
public sealed class ConvBlock : nn.Module<Tensor, Tensor>
{
    readonly nn.Module<Tensor, Tensor> pad, conv;
    readonly bool elu;

    public ConvBlock(long inChannels, long outChannels, bool elu = true) : base(nameof(ConvBlock))
    {
        // Reflection padding avoids the dark border a zero-padded depth decoder learns.
        pad = nn.ReflectionPad2d(1);
        conv = nn.Conv2d(inChannels, outChannels, 3);
        this.elu = elu;
        RegisterComponents();
    }

    public Tensor Bias => ((TorchSharp.Modules.Conv2d)conv).bias!;

    public override Tensor forward(Tensor x)
    {
        var y = conv.forward(pad.forward(x));
        return elu ? nn.functional.elu(y, 1.0) : y;
    }
}

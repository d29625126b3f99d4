using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Networks;

/// <summary>
/// TorchVision ResNet used as a feature pyramid: the outputs of conv1 (stride 2) and layer1..4
/// (strides 4..32), as monodepth2's encoder does. Only the stem and the four stages are registered,
/// so the classifier head never reaches the optimiser or the checkpoints.
/// </summary>
public sealed class ResnetEncoder : FeatureEncoder
{
    // ImageNet-like statistics the encoder applies itself, so callers feed plain [0, 1] RGB (monodepth2's).
    const double InputMean = 0.45, InputStd = 0.225;

    readonly nn.Module<Tensor, Tensor> conv1, bn1, layer1, layer2, layer3, layer4;

    public override long[] Channels { get; }

    /// <param name="layers">18, 34, 50, 101 or 152.</param>
    /// <param name="inputFrames">Frames stacked on the channel axis (1 for depth, 2 for pose).</param>
    /// <param name="torchvisionStateDict">Optional `torch.save(model.state_dict())` of torchvision's resnetN (as monodepth2 and DistDepth start).</param>
    public ResnetEncoder(int layers, int inputFrames = 1, string? torchvisionStateDict = null) : base($"ResnetEncoder{layers}")
    {
        var resnet = layers switch
        {
            18 => torchvision.models.resnet18(),
            34 => torchvision.models.resnet34(),
            50 => torchvision.models.resnet50(),
            101 => torchvision.models.resnet101(),
            152 => torchvision.models.resnet152(),
            _ => throw new ArgumentOutOfRangeException(nameof(layers), layers, "ResNet depth must be 18, 34, 50, 101 or 152."),
        };
        if (torchvisionStateDict is not null) TorchvisionStateDict.LoadInto(resnet, torchvisionStateDict, $"ResNet-{layers}");
        var parts = resnet.named_children().ToDictionary(c => c.name, c => (nn.Module<Tensor, Tensor>)c.module);
        conv1 = inputFrames == 1 ? parts["conv1"] : StackedFramesStem((Conv2d)parts["conv1"], inputFrames);
        bn1 = parts["bn1"];
        layer1 = parts["layer1"];
        layer2 = parts["layer2"];
        layer3 = parts["layer3"];
        layer4 = parts["layer4"];
        Channels = layers < 50 ? [64, 64, 128, 256, 512] : [64, 256, 512, 1024, 2048];
        RegisterComponents();
    }

    // Monodepth2's multi-image stem: the RGB filters repeated per frame and divided by the frame
    // count, so an ImageNet initialisation responds to the stacked input as it did to one image.
    static Conv2d StackedFramesStem(Conv2d rgbStem, int frames)
    {
        var stem = nn.Conv2d(3 * frames, 64, 7, stride: 2, padding: 3, bias: false);
        using (no_grad())
            stem.weight!.copy_(cat(Enumerable.Repeat(rgbStem.weight!, frames).ToArray(), 1) / frames);
        return stem;
    }

    public override Tensor[] forward(Tensor image)
    {
        var normalised = (image - InputMean) / InputStd;
        var f0 = bn1.forward(conv1.forward(training ? normalised : ChannelsLast(normalised))).relu_();
        var f1 = layer1.forward(nn.functional.max_pool2d(f0, 3, 2, 1));
        var f2 = layer2.forward(f1);
        var f3 = layer3.forward(f2);
        return [f0, f1, f2, f3, layer4.forward(f3)];
    }
}

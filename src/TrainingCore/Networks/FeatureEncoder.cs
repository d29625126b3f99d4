using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Networks;

/// <summary>An image encoder as the decoders use it: five feature maps at strides 2, 4, 8, 16 and 32 of [0, 1] RGB input.</summary>
public abstract class FeatureEncoder(string name) : nn.Module<Tensor, Tensor[]>(name)
{
    /// <summary>Channels of the five feature maps, for the decoders.</summary>
    public abstract long[] Channels { get; }

    /// <summary>
    /// The encoder <paramref name="weights"/> names (<see cref="EncoderWeights"/>): the ImageNet ResNet-18
    /// of ML.NET's featurizer package, a torchvision ResNet state dict, or torchvision's architecture from random weights.
    /// </summary>
    /// <param name="load">False builds the architecture only (a checkpoint will fill it), so the weights file need not exist.</param>
    public static FeatureEncoder Create(int layers, int inputFrames, string weights, bool load)
    {
        if (weights == EncoderWeights.ImageNet)
        {
            if (layers != 18) throw new ArgumentException($"--encoder-weights imagenet is a ResNet-18; ResNet-{layers} needs a torchvision state dict (--encoder-weights FILE.pth) or none");
            return new ImageNetResnet18Encoder(inputFrames, load ? ImageNetResnet18Encoder.BundledModel : null);
        }
        return new ResnetEncoder(layers, inputFrames, weights == EncoderWeights.None || !load ? null : weights);
    }

    /// <summary>
    /// The same values laid out channels-last (NHWC strides, NCHW shape). At inference libtorch's CPU
    /// convolutions and bilinear upsampling keep that layout through the whole network and run ~25%
    /// faster in it (bench/RESULTS.md). Training stays channels-first: the other layout sums the
    /// convolutions in another order, and the trainer is checked against PyTorch to 1e-4.
    /// TorchSharp has no memory_format argument, so the strides are made by hand.
    /// </summary>
    protected static Tensor ChannelsLast(Tensor x) => x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
}

/// <summary>Values of TrainingOptions.EncoderWeights besides a file path.</summary>
public static class EncoderWeights
{
    public const string ImageNet = "imagenet", None = "none";
}

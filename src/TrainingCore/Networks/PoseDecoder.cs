using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Networks;

/// <summary>
/// Monodepth2's PoseDecoder for one frame pair: 1x1 squeeze to 256, two 3x3 convs, 1x1 to 6,
/// spatial mean, x0.01 (small initial motions keep early warps near identity).
/// </summary>
public sealed class PoseDecoder : nn.Module<Tensor, (Tensor axisAngle, Tensor translation)>
{
    const double OutputScale = 0.01;
    readonly nn.Module<Tensor, Tensor> squeeze, pose0, pose1, pose2;

    public PoseDecoder(long encoderChannels) : base(nameof(PoseDecoder))
    {
        squeeze = nn.Conv2d(encoderChannels, 256, 1);
        pose0 = nn.Conv2d(256, 256, 3, padding: 1);
        pose1 = nn.Conv2d(256, 256, 3, padding: 1);
        pose2 = nn.Conv2d(256, 6, 1);
        RegisterComponents();
    }

    /// <returns>Axis-angle [B,3] and translation [B,3].</returns>
    public override (Tensor axisAngle, Tensor translation) forward(Tensor deepestFeatures)
    {
        var x = squeeze.forward(deepestFeatures).relu();
        x = pose1.forward(pose0.forward(x).relu()).relu();
        var motion = pose2.forward(x).mean([2, 3]) * OutputScale;
        return (motion[.., ..3], motion[.., 3..]);
    }
}

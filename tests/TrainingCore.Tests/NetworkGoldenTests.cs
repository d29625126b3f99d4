using DistDepth.TrainingCore.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Tests;

/// <summary>
/// DepthNet and PoseNet (ResNet-18) forward against PyTorch. Both sides fill every parameter with the
/// same closed-form values (golden/distdepth_reference.py: deterministic_fill, variance 2 / fan_in so the
/// outputs keep a spread well above the tolerance), so no weights are stored. Eval mode: train-mode batch
/// statistics over the 2x2 deepest maps amplify float32 rounding past the tolerance between CPUs
/// (golden/make_goldens.py says by how much).
/// </summary>
public class NetworkGoldenTests
{
    readonly Goldens g = Goldens.Load();

    static void DeterministicFill(nn.Module module)
    {
        using var _ = no_grad();
        foreach (var (name, p) in module.named_parameters())
        {
            long n = p.numel();
            var v = (0.37 * arange(n, dtype: float64) + 0.011 * n).sin();
            if (p.dim() > 1) v *= 2 / Math.Sqrt((double)n / p.shape[0]);
            else if (name.EndsWith("weight")) v = 1 + 0.1 * v;
            else v *= 0.1;
            p.copy_(v.view(p.shape).to(float32));
        }
    }

    [Fact]
    public void DepthNetForwardMatchesPyTorch()
    {
        using var net = new DepthNet(18);
        DeterministicFill(net);
        net.eval();
        using var _ = no_grad();
        var disparities = net.forward(g["net_image"]);
        for (int s = 0; s < DepthDecoder.Scales; s++)
            Goldens.AssertClose(g[$"expected_net_disp{s}"], disparities[s]);
    }

    [Fact]
    public void PoseNetForwardMatchesPyTorch()
    {
        using var net = new PoseNet(18);
        DeterministicFill(net);
        net.eval();
        using var _ = no_grad();
        var (axis, translation) = net.forward(g["net_image"], g["net_image_next"]);
        Goldens.AssertClose(g["expected_pose"], cat([axis, translation], 1));
    }

    [Fact]
    public void EncoderRegistersOnlyTheFeaturePyramid()
    {
        using var encoder = new ResnetEncoder(18, inputFrames: 2);
        var names = encoder.named_parameters().Select(p => p.name).ToList();
        Assert.DoesNotContain(names, n => n.StartsWith("fc"));
        Assert.Equal(6, encoder.named_parameters().First(p => p.name == "conv1.weight").parameter.shape[1]);
    }

    [Fact]
    public void DepthNetWeightsRoundTripThroughSaveAndLoad()
    {
        var path = Path.Combine(Path.GetTempPath(), $"depthnet-{Guid.NewGuid():N}.dat");
        try
        {
            using var trained = new DepthNet(18);
            DeterministicFill(trained);
            trained.save(path);
            using var restored = new DepthNet(18);
            restored.load(path);
            trained.eval();
            restored.eval();
            using var _ = no_grad();
            Goldens.AssertClose(trained.forward(g["net_image"])[0], restored.forward(g["net_image"])[0], 0);
        }
        finally
        {
            File.Delete(path);
        }
    }
}

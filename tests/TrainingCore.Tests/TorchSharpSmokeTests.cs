using TorchSharp;
using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Tests;

// Guards the build's libstdc++ fix: if libLibTorchSharp.so does not load, nothing in training works.
public class TorchSharpSmokeTests
{
    [Fact]
    public void ConvNetForwardBackwardProducesFiniteGradients()
    {
        torch.manual_seed(0);
        var net = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding: 1), nn.ReLU(),
            nn.Conv2d(8, 1, 3, padding: 1));
        using var x = torch.randn(2, 3, 16, 16);
        using var loss = net.forward(x).square().mean();
        loss.backward();
        foreach (var p in net.parameters())
        {
            Assert.NotNull(p.grad);
            Assert.True(p.grad!.isfinite().all().item<bool>());
            Assert.True(p.grad!.abs().sum().item<float>() > 0);
        }
    }
}

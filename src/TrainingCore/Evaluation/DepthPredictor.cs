using DistDepth.Dataset;
using DistDepth.TrainingCore.Networks;
using DistDepth.TrainingCore.Training;
using OpenCvSharp;
using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Evaluation;

/// <summary>
/// Metric depth for one image: resized to the training size, DepthNet's finest output turned into
/// depth (k = 1, metres: see <see cref="DisparityToDepth"/>), upsampled bilinearly to the image size.
/// </summary>
public sealed class DepthPredictor(DepthNet net, int width, int height, DisparityToDepth mapping, bool ownsNet = false) : IDisposable
{
    /// <summary>The depth network of a training run folder (run.json + checkpoint.bin).</summary>
    public static DepthPredictor Load(string runDirectory)
    {
        var options = RunSettings.Load(runDirectory).Options;
        var net = new DepthNet(options.DepthEncoderLayers, options.EncoderWeights, loadWeights: false);
        using (var reader = Checkpoint.Open(runDirectory, out _))
            net.load(reader);
        return new DepthPredictor(net, options.Width, options.Height, new DisparityToDepth(options.Loss.MinDepth, options.Loss.MaxDepth), ownsNet: true);
    }

    public DepthMap Predict(RgbImage image)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        bool training = net.training;
        net.eval();
        var input = ToTensor(image, width, height);
        var depth = mapping.Depth(net.forward(input)[0]);
        var full = nn.functional.interpolate(depth, [image.Height, image.Width], mode: InterpolationMode.Bilinear, align_corners: false);
        if (training) net.train();
        return new DepthMap(image.Width, image.Height, full.contiguous().data<float>().ToArray());
    }

    /// <summary>[1,3,H,W] in [0,1] at the given size (area downsampling, bilinear upsampling).</summary>
    static Tensor ToTensor(RgbImage image, int width, int height)
    {
        using var source = Mat.FromPixelData(image.Height, image.Width, MatType.CV_8UC3, image.Pixels);
        using var resized = new Mat();
        Cv2.Resize(source, resized, new OpenCvSharp.Size(width, height), 0, 0, image.Width > width ? InterpolationFlags.Area : InterpolationFlags.Linear);
        resized.GetArray(out Vec3b[] pixels);
        return tensor(System.Runtime.InteropServices.MemoryMarshal.AsBytes(pixels.AsSpan()).ToArray()).view(1, height, width, 3).permute(0, 3, 1, 2).to(float32) / 255f;
    }

    public void Dispose()
    {
        if (ownsNet) net.Dispose();
    }
}

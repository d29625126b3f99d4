using System.Diagnostics;
using System.Runtime.InteropServices;
using DistDepth.TrainingCore.Networks;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Tests;

/// <summary>
/// The encoders' starting weights against independent implementations: ONNX Runtime running ML.NET's
/// ImageNet ResNet-18 (and its preprocessing model), and torchvision computing with the state dict it saved.
/// </summary>
public class EncoderWeightsTests
{
    const string Python = "/usr/bin/python3";
    static string ResNetOnnx => ImageNetResnet18Encoder.BundledModel;

    [Fact]
    public void ImageNetEncoderPooledOutputEqualsOnnxRuntime()
    {
        using var encoder = new ImageNetResnet18Encoder(1, ResNetOnnx);
        encoder.eval();
        using var preprocess = new InferenceSession(ImageNetResnet18Encoder.PreprocessModelFor(ResNetOnnx));
        using var resnet = new InferenceSession(ResNetOnnx);
        foreach (var seed in new[] { 1, 2 })
        {
            var rgb = TestImage(seed, 224, 224);
            var expected = OnnxPooled(preprocess, resnet, rgb);
            using var _ = no_grad();
            using var pooled = encoder.Pooled(tensor(rgb).view(1, 3, 224, 224) / 255f);
            var actual = pooled.data<float>().ToArray();
            Assert.Equal(512, actual.Length);
            double worst = actual.Zip(expected, (a, e) => Math.Abs(a - e)).Max();
            Assert.True(worst < 1e-4, $"image {seed}: max |encoder - ONNX Runtime| = {worst:G3} (values up to {expected.Max():G3})");
            Assert.True(expected.Max() > 0.1, "the pooled features are not all near zero (the comparison means something)");
        }
    }

    [Fact]
    public void ImageNetEncoderGivesFeaturesAtStrides2To32AndStackedEqualFramesActAsOne()
    {
        using var single = new ImageNetResnet18Encoder(1, ResNetOnnx);
        using var stacked = new ImageNetResnet18Encoder(2, ResNetOnnx);
        single.eval();
        stacked.eval();
        using var _ = no_grad();
        var image = tensor(TestImage(3, 96, 64)).view(1, 3, 64, 96) / 255f;
        var one = single.forward(image);
        var two = stacked.forward(cat([image, image], 1));
        for (int k = 0; k < 5; k++)
        {
            Assert.Equal([1L, single.Channels[k], 64 >> (k + 1), 96 >> (k + 1)], one[k].shape);
            // The stem's filters are shared by the frames and divided by their count (monodepth2's pose input).
            Assert.True(one[k].allclose(two[k], rtol: 1e-4, atol: 1e-4), $"level {k}");
        }
    }

    [Theory]
    [InlineData(18)]
    [InlineData(50)]
    public void TorchvisionStateDictGivesTorchvisionsFeatures(int layers)
    {
        var dir = TorchvisionReference(layers);
        using var encoder = new ResnetEncoder(layers, 1, Path.Combine(dir, $"resnet{layers}.pth"));
        encoder.eval();
        using var _ = no_grad();
        var features = encoder.forward(tensor(ReadFloats(Path.Combine(dir, "input.f32"))).view(1, 3, 64, 96));
        for (int k = 0; k < 5; k++)
        {
            var expected = ReadFloats(Path.Combine(dir, $"layer{k}.f32"));
            var actual = features[k].contiguous().data<float>().ToArray();
            Assert.Equal(expected.Length, actual.Length);
            double worst = actual.Zip(expected, (a, e) => Math.Abs(a - e)).Max(), largest = expected.Max(Math.Abs);
            // float32 sums in another order: 1e-4 of the level's largest value (ResNet-50's reach ~10 with random weights).
            Assert.True(worst < 1e-4 * Math.Max(1, largest), $"ResNet-{layers} level {k}: max |TorchSharp - torchvision| = {worst:G3}, largest value {largest:G3}");
        }
    }

    [Fact]
    public void AStateDictOfAnotherDepthIsOneErrorNamingTheFile()
    {
        var file = Path.Combine(TorchvisionReference(18), "resnet18.pth");
        var e = Assert.Throws<InvalidDataException>(() => new ResnetEncoder(34, 1, file));
        Assert.Contains(file, e.Message);
        Assert.Contains("ResNet-34", e.Message);
        var notTorch = Path.Combine(TempFolder.New("not-a-state-dict"), "x.pth");
        File.WriteAllText(notTorch, "hello");
        Assert.Contains(notTorch, Assert.Throws<InvalidDataException>(() => new ResnetEncoder(18, 1, notTorch)).Message);
    }

    static float[] OnnxPooled(InferenceSession preprocess, InferenceSession resnet, float[] rgb)
    {
        var input = new DenseTensor<float>(rgb, [1, 3, 224, 224]);
        using var prepared = preprocess.Run([NamedOnnxValue.CreateFromTensor(preprocess.InputMetadata.Keys.Single(), input)]);
        var bgr = prepared.First().AsTensor<float>().ToDenseTensor();
        using var output = resnet.Run([NamedOnnxValue.CreateFromTensor(resnet.InputMetadata.Keys.Single(), bgr)]);
        return output.First().AsEnumerable<float>().ToArray();
    }

    /// <summary>A smooth colour pattern plus noise, 0-255, planar RGB.</summary>
    static float[] TestImage(int seed, int width, int height)
    {
        var rng = new Random(seed);
        var values = new float[3 * width * height];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    values[(c * height + y) * width + x] = (float)Math.Clamp(
                        127 + 100 * Math.Sin((x * (c + 1) + y * seed) * 0.05) + rng.Next(-20, 21), 0, 255);
        return values;
    }

    static float[] ReadFloats(string path) => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(path)).ToArray();

    static readonly Dictionary<int, string> References = [];

    /// <summary>torchvision_resnet.py's folder for this depth, made once per test run.</summary>
    static string TorchvisionReference(int layers)
    {
        lock (References)
        {
            if (References.TryGetValue(layers, out var done)) return done;
            var dir = TempFolder.New($"torchvision-resnet{layers}");
            var info = new ProcessStartInfo(Python) { RedirectStandardError = true };
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "torchvision_resnet.py"));
            info.ArgumentList.Add(layers.ToString());
            info.ArgumentList.Add(dir);
            using var p = Process.Start(info)!;
            var stderr = p.StandardError.ReadToEndAsync();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException($"torchvision_resnet.py {layers} failed (needs Debian's python3-torchvision): {stderr.Result}");
            return References[layers] = dir;
        }
    }
}

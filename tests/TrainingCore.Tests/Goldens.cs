using System.Runtime.InteropServices;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Tests;

/// <summary>Reads golden/goldens.{json,bin} written by golden/make_goldens.py.</summary>
public sealed class Goldens
{
    public const double RelativeTolerance = 1e-4;

    static readonly Lazy<Goldens> Shared = new(() => new Goldens(Path.Combine(AppContext.BaseDirectory, "golden")));
    public static Goldens Load() => Shared.Value;

    readonly byte[] blob;
    readonly Dictionary<string, (long[] shape, int offset)> index = new();
    readonly Dictionary<string, double> scalars = new();

    Goldens(string folder)
    {
        blob = File.ReadAllBytes(Path.Combine(folder, "goldens.bin"));
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "goldens.json")));
        foreach (var t in doc.RootElement.GetProperty("tensors").EnumerateObject())
            index[t.Name] = (t.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray(),
                             t.Value.GetProperty("offset").GetInt32());
        foreach (var s in doc.RootElement.GetProperty("scalars").EnumerateObject())
            scalars[s.Name] = s.Value.GetDouble();
    }

    public Tensor this[string name]
    {
        get
        {
            var (shape, offset) = index[name];
            int count = (int)shape.Aggregate(1L, (a, b) => a * b);
            var values = MemoryMarshal.Cast<byte, float>(blob.AsSpan(offset, count * sizeof(float))).ToArray();
            return tensor(values, shape);
        }
    }

    public double Scalar(string name) => scalars[name];

    public static void AssertClose(double expected, Tensor actual, double rtol = RelativeTolerance)
    {
        double value = actual.item<float>();
        Assert.True(Math.Abs(value - expected) <= rtol * Math.Abs(expected),
            $"expected {expected:G9}, got {value:G9} (relative error {Math.Abs(value - expected) / Math.Abs(expected):E2})");
    }

    /// <summary>Elementwise |a - e| &lt;= rtol * max|e| (relative to the tensor's scale, so near-zero entries do not dominate).</summary>
    public static void AssertClose(Tensor expected, Tensor actual, double rtol = RelativeTolerance)
    {
        Assert.Equal(expected.shape, actual.shape);
        double scale = expected.abs().max().item<float>();
        double error = (actual - expected).abs().max().item<float>();
        Assert.True(error <= rtol * scale, $"max abs error {error:E2} > {rtol} * {scale:G6}");
    }
}

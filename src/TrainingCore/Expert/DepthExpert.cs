using System.Text.Json.Nodes;
using DistDepth.Dataset;

namespace DistDepth.TrainingCore.Expert;

/// <summary>Something that turns a frame into relative inverse depth: an ONNX model, or the simulator oracle.</summary>
public abstract class DepthExpert : IDisposable
{
    /// <summary>
    /// Stored in each frame's meta_json under "expert". It names the expert and its settings, so a
    /// re-run with the same expert recognises finished shards and a different one replaces them.
    /// </summary>
    public abstract JsonObject Label { get; }

    /// <summary>
    /// Where an expert that normalises its own output puts the median of E. Distillation turns E into pseudo depth
    /// 1 / (E + 1), as DistDepth does with DPT's raw output, which runs in the hundreds to thousands: there the +1
    /// hardly matters and the pseudo depth is nearly proportional to depth. At a median of 1 (these experts' first
    /// units) it is not: a 4:1 range of depths became 2:1, and distilling that flattened the student's layout
    /// (bench/RESULTS.md, issue 14).
    /// </summary>
    public const float NormalisedMedian = 1000f;

    /// <summary>Scales <paramref name="map"/> in place so that the median of its valid (positive) values is <see cref="NormalisedMedian"/>.</summary>
    protected static void ScaleToNormalisedMedian(float[] map)
    {
        var valid = map.Where(v => v > 0).ToArray();
        if (valid.Length == 0) return;
        Array.Sort(valid);
        float scale = NormalisedMedian / valid[valid.Length / 2];
        for (int i = 0; i < map.Length; i++) map[i] *= scale;
    }

    /// <summary>Non-negative relative inverse depth at the frame's resolution, row-major. Safe to call concurrently.</summary>
    public abstract float[] Predict(StereoFrame frame);

    public virtual void Dispose() => GC.SuppressFinalize(this);
}

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

    /// <summary>Non-negative relative inverse depth at the frame's resolution, row-major. Safe to call concurrently.</summary>
    public abstract float[] Predict(StereoFrame frame);

    public virtual void Dispose() => GC.SuppressFinalize(this);
}

using System.Runtime;

namespace DistDepth.TrainingCore;

/// <summary>
/// Runs a stretch of libtorch calls with no garbage collection inside it, one stretch at a time.
/// TorchSharp 0.107 frees a <c>Scalar</c> in its finalizer, and its operators hand libtorch a temporary
/// Scalar's handle without keeping the object alive (src/TorchSharp/Tensor/Tensor.Math.cs:
/// <c>add(Tensor target) => add(target, 1)</c>, then <c>THSTensor_add(Handle, target.Handle, alpha.Handle)</c>;
/// no GC.KeepAlive). A collection started by another thread (the loader decoding PNGs, the progress
/// display) while libtorch still reads that Scalar lets the finalizer thread free it underneath:
/// "Expected false to be true" from c10's Scalar accessors, at a random step of a random run
/// (bench/RESULTS.md, issue 19, session 9). Tensors are not at risk: their dispose scope holds them.
/// Inside a section the runtime may not collect, so no finalizer can run; the one full collection
/// each section starts with happens while no other section is in libtorch.
/// </summary>
public static class TorchSection
{
    /// <summary>What every thread together may allocate during one section before the runtime must
    /// collect anyway (and the section is unprotected from then on): several batches' decoding even at
    /// the paper's 24 x 256 x 256. Only reserved: memory is committed as it is used. Under a GC heap limit
    /// (a container's memory limit) the runtime refuses large regions: the budget halves until one is
    /// granted (128 MB under a 1.25 GB limit), and below the smallest the sections run unprotected.</summary>
    static long allocationBudget = 1L << 30;
    const long SmallestBudget = 32L << 20;

    static readonly object Gate = new();

    public static T Run<T>(Func<T> work)
    {
        lock (Gate)
        {
            // A nested section (a preview inside a training step) is already protected.
            if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return work();
            var started = StartRegion();
            try
            {
                return work();
            }
            finally
            {
                // An allocation beyond the budget ends the region by itself; ending it again would throw.
                if (started && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
            }
        }
    }

    static bool StartRegion()
    {
        for (; allocationBudget >= SmallestBudget; allocationBudget /= 2)
            if (GC.TryStartNoGCRegion(allocationBudget)) return true;
        return false;
    }

    public static void Run(Action work) => Run(() => { work(); return 0; });
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DistDepth.TrainingCore;

/// <summary>
/// libtorch allocates and frees every layer's activations (megabytes each) on every forward and
/// backward. glibc serves blocks that size with mmap and unmaps them on free, so each pass paid for
/// fresh zeroed pages from the kernel: a second of system time per 30 inferences at 256x256, about
/// 20% of the forward (bench/RESULTS.md). Raising glibc's thresholds keeps freed blocks in the heap
/// for reuse. Done once, when TrainingCore loads, before libtorch allocates anything.
/// </summary>
static class NativeHeap
{
    const int TrimThreshold = -1, MmapThreshold = -3; // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD in malloc.h
    const int GlibcMaxMmapThreshold = 32 << 20;       // larger values are refused on 64-bit glibc

    [ModuleInitializer]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "CA2255", Justification = "must run before any TrainingCore type touches libtorch")]
    internal static void KeepFreedActivations()
    {
        if (!OperatingSystem.IsLinux()) return;
        try
        {
            mallopt(MmapThreshold, GlibcMaxMmapThreshold);
            mallopt(TrimThreshold, 1 << 30);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // musl and other C libraries have no mallopt: they keep their own policy.
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    static extern int mallopt(int parameter, int value);
}

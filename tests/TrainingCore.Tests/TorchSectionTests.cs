using System.Runtime;
using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Tests;

// TorchSharp's finalizer-freed Scalars (TorchSection) are only safe if no collection, and so no
// finalizer, runs while a section is in libtorch, whichever thread allocates. Run alone: another
// test's section would make the latency mode read between sections meaningless.
[CollectionDefinition(nameof(TorchSectionTests), DisableParallelization = true)]
[Collection(nameof(TorchSectionTests))]
public class TorchSectionTests
{
    const int Arrays = 50_000, ArrayBytes = 8_000; // 400 MB of small-object garbage

    static byte[]? sink; // escapes, so the JIT cannot put the arrays on the stack

    static void AllocateOnAnotherThread()
    {
        var thread = new Thread(() =>
        {
            for (var i = 0; i < Arrays; i++) Volatile.Write(ref sink, new byte[ArrayBytes]);
        });
        thread.Start();
        thread.Join();
    }

    [Fact]
    public void Another_threads_allocations_do_not_collect_inside_a_section()
    {
        var (first, last, mode) = TorchSection.Run(() =>
        {
            var start = GC.CollectionCount(0);
            using var a = ones(64, 64);
            AllocateOnAnotherThread();
            using var sum = a + a; // an operator that makes a temporary Scalar (alpha)
            Assert.Equal(2f, sum.mean().item<float>());
            // A collection would also have ended the no-GC region.
            return (start, GC.CollectionCount(0), GCSettings.LatencyMode);
        });
        Assert.Equal(first, last);
        Assert.Equal(GCLatencyMode.NoGCRegion, mode);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void A_nested_section_runs_inside_its_outer_one_and_a_failure_ends_the_region()
    {
        var inner = TorchSection.Run(() => TorchSection.Run(() => GCSettings.LatencyMode));
        Assert.Equal(GCLatencyMode.NoGCRegion, inner);

        Assert.Throws<InvalidOperationException>(() => TorchSection.Run(new Action(() => throw new InvalidOperationException("inside"))));
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        Assert.Equal(3, TorchSection.Run(() => 3)); // a region can start again
    }
}

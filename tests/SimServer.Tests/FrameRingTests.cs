using DistDepth.Sim.V1;
using DistDepth.SimServer.Service;
using Grpc.Core;

namespace DistDepth.SimServer.Tests;

/// <summary>RunTrajectory through the shared-memory ring a co-located client offers.</summary>
public sealed class FrameRingTests(SimulatorFixture sim) : IClassFixture<SimulatorFixture>
{
    private const int Size = 64;

    private async Task<(List<Frame> Frames, int ThroughRing)> RunAsync(SharedMemoryRing? offer, FrameRing.Reader? ring, int frames = 8,
                                                                      TimeSpan? readDelay = null)
    {
        var session = await sim.OpenAsync("procedural:21", Size);
        using var call = sim.Client.RunTrajectory(new RunTrajectoryRequest { SessionId = session, Seed = 9, FrameCount = frames, SharedMemory = offer });
        var result = new List<Frame>();
        var throughRing = 0;
        await foreach (var frame in call.ResponseStream.ReadAllAsync())
        {
            if (readDelay is { } delay) await Task.Delay(delay); // a slow client: the server must wait for its slots
            if (frame.SharedMemory != null) throughRing++;
            result.Add(ring?.Receive(frame).Detach() ?? frame);
        }
        return (result, throughRing);
    }

    [Fact]
    public async Task Frames_through_the_ring_equal_frames_streamed_inline()
    {
        var (inline, _) = await RunAsync(null, null);
        using var ring = FrameRing.Reader.Create(FrameRing.SlotBytesFor(Size, Size), slotCount: 2);
        var (shared, throughRing) = await RunAsync(ring.Offer, ring, readDelay: TimeSpan.FromMilliseconds(20));
        Assert.Equal(inline.Count, throughRing);
        Assert.Equal(inline, shared); // every field and every image byte, after more frames than slots
    }

    [Fact]
    public async Task A_client_that_leaves_mid_stream_does_not_leave_the_session_stuck()
    {
        var session = await sim.OpenAsync("procedural:21", Size);
        using (var ring = FrameRing.Reader.Create(FrameRing.SlotBytesFor(Size, Size), slotCount: 1))
        using (var call = sim.Client.RunTrajectory(new RunTrajectoryRequest { SessionId = session, Seed = 9, FrameCount = 50, SharedMemory = ring.Offer }))
        {
            // Take one frame and never release its slot: the server waits for the slot until the call ends.
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        }
        var render = sim.Client.RenderAsync(new RenderRequest { SessionId = session }).ResponseAsync;
        Assert.Same(render, await Task.WhenAny(render, Task.Delay(TimeSpan.FromSeconds(20))));
        Assert.Equal(Size * Size * 3, (await render).RgbLeft.Length);
    }

    [Fact]
    public async Task Received_frames_stay_readable_after_the_ring_is_disposed_and_free_their_slot_when_disposed()
    {
        var (inline, _) = await RunAsync(null, null, frames: 2);
        var session = await sim.OpenAsync("procedural:21", Size);
        var ring = FrameRing.Reader.Create(FrameRing.SlotBytesFor(Size, Size), slotCount: 2);
        var path = ring.Offer.Path;
        var held = new List<ReceivedFrame>();
        using (var call = sim.Client.RunTrajectory(new RunTrajectoryRequest { SessionId = session, Seed = 9, FrameCount = 2, SharedMemory = ring.Offer }))
            await foreach (var frame in call.ResponseStream.ReadAllAsync()) held.Add(ring.Receive(frame));
        ring.Dispose(); // as a stream's end does while frames are still being encoded
        Assert.StartsWith($"/proc/{Environment.ProcessId}/fd/", path); // a memfd: nothing in /dev/shm to leak
        for (var i = 0; i < held.Count; i++)
        {
            Assert.NotNull(held[i].Frame.SharedMemory);
            Assert.Equal(inline[i].RgbLeft.Memory.ToArray(), held[i].RgbLeft.ToArray()); // still mapped
            Assert.Equal(inline[i].DepthLeft.Memory.ToArray(), held[i].DepthLeft.ToArray());
        }
        Assert.Equal(inline[1], held[1].Detach());
        held[0].Dispose();
        held[0].Dispose(); // a second dispose releases nothing twice
    }
}

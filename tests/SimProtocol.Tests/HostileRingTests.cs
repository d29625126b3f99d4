using System.Buffers.Binary;
using DistDepth.Sim.V1;
using DistDepth.SimServer.Service;
using Grpc.Core;
using Grpc.Net.Client;

namespace DistDepth.SimProtocol.Tests;

/// <summary>Issue 12 findings 3 and 8: a shared-memory ring offer can at most cost the client its own
/// frames (never the server its life), and a killed client leaves no ring behind.</summary>
public sealed class HostileRingTests
{
    const int Size = 64;

    static async Task<(GrpcChannel Channel, Simulator.SimulatorClient Client, string Session)> OpenAsync(ServerProcess server)
    {
        var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { MaxReceiveMessageSize = null });
        var client = new Simulator.SimulatorClient(channel);
        var session = (await client.LoadSceneAsync(new LoadSceneRequest { SceneId = "procedural:0" })).SessionId;
        await client.ConfigureRigAsync(new ConfigureRigRequest { SessionId = session, Rig = new StereoRig { Width = Size, Height = Size } });
        return (channel, client, session);
    }

    static byte[] Header(ulong token, int slotCount, long slotBytes)
    {
        var header = new byte[4096];
        "DDDRING1"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt64LittleEndian(header.AsSpan(8), token);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), slotCount);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(24), slotBytes);
        return header;
    }

    [Fact]
    public async Task OffersWhoseSizeOverflowsOrExceedsTheRigAreDeclined()
    {
        using var server = ServerProcess.Start();
        var (channel, client, session) = await OpenAsync(server);
        using var _ = channel;
        // 4096 + 4 * 2^62 wraps to 4096 in 64 bits: a 4096-byte ring that claims 4 slots of 2^62 bytes.
        const long huge = 1L << 62;
        var shmFile = $"/dev/shm/{FrameRing.FilePrefix}{Guid.NewGuid():N}{FrameRing.FileSuffix}";
        var (memfd, memfdPath) = SealedMemory.Create($"{FrameRing.FilePrefix}hostile{FrameRing.FileSuffix}", 4096);
        var bigSlots = FrameRing.SlotBytesFor(Size, Size) * 1000; // honest size, far more than a 64x64 frame needs
        var (bigFd, bigPath) = SealedMemory.Create($"{FrameRing.FilePrefix}big{FrameRing.FileSuffix}", 4096 + 2 * bigSlots);
        try
        {
            File.WriteAllBytes(shmFile, Header(7, 4, huge));
            RandomAccess.Write(memfd, Header(7, 4, huge), 0);
            RandomAccess.Write(bigFd, Header(7, 2, bigSlots), 0);
            var offers = new[]
            {
                new SharedMemoryRing { Path = shmFile, Token = 7, SlotCount = 4, SlotBytes = huge },
                new SharedMemoryRing { Path = memfdPath, Token = 7, SlotCount = 4, SlotBytes = huge },
                new SharedMemoryRing { Path = bigPath, Token = 7, SlotCount = 2, SlotBytes = bigSlots },
            };
            foreach (var offer in offers)
            {
                using var call = client.RunTrajectory(new RunTrajectoryRequest { SessionId = session, Seed = 3, FrameCount = 3, SharedMemory = offer });
                var frames = await call.ResponseStream.ReadAllAsync().ToListAsync();
                Assert.Equal(3, frames.Count);
                Assert.All(frames, f => Assert.Null(f.SharedMemory));
                Assert.All(frames, f => Assert.Equal(Size * Size * 3, f.RgbLeft.Length));
            }
        }
        finally
        {
            File.Delete(shmFile);
            memfd.Dispose();
            bigFd.Dispose();
        }
        Assert.False(server.HasExited, server.Output);
        Assert.Equal("distdepth-embedded", (await client.GetInfoAsync(new GetInfoRequest())).Name);
    }

    [Fact]
    public async Task AClientCannotShrinkItsRingUnderTheServer()
    {
        using var server = ServerProcess.Start();
        var (channel, client, session) = await OpenAsync(server);
        using var _ = channel;
        using var ring = FrameRing.Reader.Create(FrameRing.SlotBytesFor(Size, Size), slotCount: 2);
        using var call = client.RunTrajectory(new RunTrajectoryRequest { SessionId = session, Seed = 3, FrameCount = 12, SharedMemory = ring.Offer });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        var first = ring.Receive(call.ResponseStream.Current);
        Assert.NotNull(first.Frame.SharedMemory);
        // The server waits for this slot; cut the ring to its header under it.
        var cut = Record.Exception(() =>
        {
            using var file = new FileStream(ring.Offer.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            file.SetLength(4096);
        });
        Assert.True(cut is IOException or UnauthorizedAccessException, $"the ring could be truncated ({cut?.GetType().Name})");
        first.Dispose();
        var rest = 0;
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            using var frame = ring.Receive(call.ResponseStream.Current);
            rest++;
        }
        Assert.Equal(11, rest);
        Assert.False(server.HasExited, server.Output);
    }

    [Fact]
    public async Task AKilledSimgenLeavesNoRingBehind()
    {
        var dir = TempFolder.New("simgen-ring-kill");
        using var simgen = DistDepthCli.Start("simgen", "--scenes", "procedural:2", "--sequences-per-scene", "2", "--frames", "400",
            "--width", "64", "--height", "64", "--workers", "2", "--out", dir);
        var pid = simgen.Id;
        var stderr = simgen.StandardError.ReadToEndAsync();
        _ = simgen.StandardOutput.ReadToEndAsync();
        string[] Leftovers() => Directory.GetFiles("/dev/shm", $"{FrameRing.FilePrefix}{pid}-*");
        bool RingInUse()
        {
            try
            {
                // A mapped ring shows in the process's mappings: a memfd, or (before issue 12) a file in /dev/shm.
                return File.ReadLines($"/proc/{pid}/maps").Any(l => l.Contains(FrameRing.FilePrefix)) || Leftovers().Length > 0;
            }
            catch (IOException)
            {
                return false; // the process ended
            }
        }
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (!RingInUse())
            {
                if (simgen.HasExited) Assert.Fail($"simgen ended before its rings were seen: {await stderr}");
                Assert.True(DateTime.UtcNow < deadline, "no ring appeared in time");
                await Task.Delay(20);
            }
            simgen.Kill(); // SIGKILL: nothing of simgen runs after this
            await simgen.WaitForExitAsync();
            Assert.Empty(Leftovers());
        }
        finally
        {
            foreach (var file in Leftovers()) File.Delete(file); // what a failing run left
        }
    }
}

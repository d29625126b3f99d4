using DistDepth.Sim.V1;
using DistDepth.SimServer.Service;
using Grpc.Core;

namespace DistDepth.SimServer.Tests;

/// <summary>Issue 12 finding 4: what clients leave behind (sessions, scenes, unread streams) is bounded.</summary>
public sealed class ServerLimitsTests
{
    private static async Task<(SimulatorHost Host, Simulator.SimulatorClient Client, IDisposable Channel)> StartAsync(ServerLimits limits)
    {
        var host = await SimulatorHost.StartAsync(new SimulatorHostOptions(Limits: limits));
        var (channel, client) = SimulatorFixture.Connect(host);
        return (host, client, channel);
    }

    [Fact]
    public async Task Procedural_ids_are_canonical_so_a_seed_is_one_scene()
    {
        var (host, client, channel) = await StartAsync(new ServerLimits());
        await using var _ = host;
        using var __ = channel;
        var a = await client.LoadSceneAsync(new LoadSceneRequest { SceneId = "procedural:07" });
        var b = await client.LoadSceneAsync(new LoadSceneRequest { SceneId = "procedural:7" });
        Assert.Equal("procedural:7", a.Scene.Id);
        Assert.Equal("procedural:7", b.Scene.Id);
        Assert.NotEqual(a.SessionId, b.SessionId);
    }

    [Fact]
    public async Task Sessions_beyond_the_limit_are_resource_exhausted_until_one_closes()
    {
        var (host, client, channel) = await StartAsync(new ServerLimits(MaxSessions: 3));
        await using var _ = host;
        using var __ = channel;
        var open = new List<string>();
        for (var i = 0; i < 3; i++) open.Add((await client.LoadSceneAsync(new LoadSceneRequest { SceneId = $"procedural:{i}" })).SessionId);
        var e = await Assert.ThrowsAsync<RpcException>(() => client.LoadSceneAsync(new LoadSceneRequest { SceneId = "procedural:3" }).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Contains("--max-sessions", e.Status.Detail);
        // A failed load gives its place back too.
        await Assert.ThrowsAsync<RpcException>(() => client.LoadSceneAsync(new LoadSceneRequest { SceneId = "nope.ply" }).ResponseAsync);
        await client.CloseSessionAsync(new CloseSessionRequest { SessionId = open[0] });
        await client.LoadSceneAsync(new LoadSceneRequest { SceneId = "procedural:3" });
    }

    [Fact]
    public async Task An_abandoned_session_and_its_unread_stream_are_closed_once_idle()
    {
        // Idle long enough that loading the scenes (AO bake included) on a busy CI core never counts as idle.
        var (host, client, channel) = await StartAsync(new ServerLimits(MaxSessions: 2, IdleTimeout: TimeSpan.FromSeconds(4)));
        await using var _ = host;
        using var __ = channel;
        var abandoned = (await client.LoadSceneAsync(new LoadSceneRequest { SceneId = "procedural:1" })).SessionId;
        var streaming = (await client.LoadSceneAsync(new LoadSceneRequest { SceneId = "procedural:2" })).SessionId;
        await client.ConfigureRigAsync(new ConfigureRigRequest { SessionId = streaming, Rig = new Sim.V1.StereoRig { Width = 512, Height = 512 } });
        // Never read: the server blocks on the transport, and must give up on it rather than hold it forever.
        using var unread = client.RunTrajectory(new RunTrajectoryRequest { SessionId = streaming, Seed = 1, FrameCount = 100_000 });
        var full = await Assert.ThrowsAsync<RpcException>(() => client.LoadSceneAsync(new LoadSceneRequest { SceneId = "procedural:3" }).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, full.StatusCode);

        await Task.Delay(TimeSpan.FromSeconds(9));
        foreach (var gone in new[] { abandoned, streaming })
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => client.RenderAsync(new RenderRequest { SessionId = gone }).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, e.StatusCode);
        }
        var fresh = (await client.LoadSceneAsync(new LoadSceneRequest { SceneId = "procedural:3" })).SessionId;
        Assert.NotEmpty(fresh);
    }

    [Fact]
    public async Task An_unread_stream_renders_only_the_frames_its_buffer_holds()
    {
        const int size = 1024; // 14 MB a frame: a 16 MB buffer holds one
        var (host, client, channel) = await StartAsync(new ServerLimits(StreamBufferBytes: 16 << 20));
        await using var _ = host;
        using var __ = channel;
        var session = (await client.LoadSceneAsync(new LoadSceneRequest { SceneId = "procedural:4" })).SessionId;
        await client.ConfigureRigAsync(new ConfigureRigRequest { SessionId = session, Rig = new Sim.V1.StereoRig { Width = size, Height = size } });
        using (client.RunTrajectory(new RunTrajectoryRequest { SessionId = session, Seed = 1, FrameCount = 1000 }))
            await Task.Delay(TimeSpan.FromSeconds(5)); // room for dozens of frames were nothing holding the renderer back
        // Render numbers its frame after every frame the session rendered so far.
        var next = (await client.RenderAsync(new RenderRequest { SessionId = session }, deadline: DateTime.UtcNow.AddSeconds(60))).Index;
        Assert.InRange(next, 1, 4); // one in the buffer, one in the transport's own buffer, one on the way
    }
}

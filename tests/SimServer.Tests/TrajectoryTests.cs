using System.Runtime.InteropServices;
using DistDepth.Sim.V1;
using Grpc.Core;
using Xunit.Abstractions;

namespace DistDepth.SimServer.Tests;

/// <summary>Streaming trajectories over gRPC: determinism, navigation and the failure modes.</summary>
public sealed class TrajectoryTests(SimulatorFixture sim, ITestOutputHelper log) : IClassFixture<SimulatorFixture>
{
    private async Task<List<Frame>> RunAsync(string session, TrajectoryMode mode, ulong seed, int frames)
    {
        var call = sim.Client.RunTrajectory(new RunTrajectoryRequest { SessionId = session, Seed = seed, FrameCount = frames, Mode = mode });
        var result = new List<Frame>();
        await foreach (var frame in call.ResponseStream.ReadAllAsync()) result.Add(frame);
        return result;
    }

    [Fact]
    public async Task Same_scene_and_trajectory_seed_give_byte_identical_frames()
    {
        var a = await RunAsync(await sim.OpenAsync("procedural:21"), TrajectoryMode.Navigate, 9, 6);
        var b = await RunAsync(await sim.OpenAsync("procedural:21"), TrajectoryMode.Navigate, 9, 6);
        var c = await RunAsync(await sim.OpenAsync("procedural:21"), TrajectoryMode.Navigate, 10, 6);
        Assert.Equal(6, a.Count);
        Assert.Equal(a, b); // protobuf equality: every field and every byte of every image
        Assert.NotEqual(a, c);
    }

    [Fact]
    public async Task Navigate_walks_a_collision_free_path_with_frames_and_poses()
    {
        var session = await sim.OpenAsync("procedural:4");
        var frames = await RunAsync(session, TrajectoryMode.Navigate, 1, 30);
        Assert.Equal(Enumerable.Range(0, 30), frames.Select(f => f.Index));
        Assert.DoesNotContain(frames, f => f.Collided);
        var first = frames[0].LeftCamera.Position;
        var last = frames[^1].LeftCamera.Position;
        Assert.True(Math.Abs(first.X - last.X) + Math.Abs(first.Z - last.Z) > 0.5, "the agent did not move");
        Assert.All(frames, f => Assert.Equal(64 * 64 * 4, f.DepthRight.Length));
    }

    [Fact]
    public async Task Shortest_path_connects_two_navigable_points()
    {
        var session = await sim.OpenAsync("procedural:4");
        var a = (await sim.Client.SampleNavigablePointAsync(new SampleNavigablePointRequest { SessionId = session, Seed = 1 })).Point;
        var b = (await sim.Client.SampleNavigablePointAsync(new SampleNavigablePointRequest { SessionId = session, Seed = 2 })).Point;
        var path = await sim.Client.ShortestPathAsync(new ShortestPathRequest { SessionId = session, Start = a, End = b });
        Assert.True(path.Found);
        var straight = MathF.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Z - b.Z) * (a.Z - b.Z));
        Assert.True(path.GeodesicDistance >= straight - 0.2f, $"geodesic {path.GeodesicDistance} shorter than straight {straight}");
    }

    [Fact]
    public async Task Walk_into_wall_reports_collisions()
    {
        var frames = await RunAsync(await sim.OpenAsync("procedural:4"), TrajectoryMode.WalkIntoWall, 2, 60);
        log.WriteLine($"{frames.Count(f => f.Collided)} of {frames.Count} frames collided");
        Assert.True(frames[^1].Collided, "pushing into a wall should end in collisions");
    }

    [Fact]
    public async Task Stare_at_wall_is_closer_than_30_cm()
    {
        var frames = await RunAsync(await sim.OpenAsync("procedural:4"), TrajectoryMode.StareAtWall, 3, 5);
        foreach (var f in frames)
        {
            var depth = MemoryMarshal.Cast<byte, float>(f.DepthLeft.Span);
            var centre = depth[32 * 64 + 32];
            log.WriteLine($"centre depth {centre:F3} m");
            Assert.InRange(centre, 0.01f, 0.3f);
        }
    }

    [Fact]
    public async Task Look_into_void_shows_mostly_empty_depth()
    {
        var frames = await RunAsync(await sim.OpenAsync("procedural:4"), TrajectoryMode.LookIntoVoid, 4, 5);
        var empty = frames.Average(f => MemoryMarshal.Cast<byte, float>(f.DepthLeft.Span).ToArray().Count(d => d == 0) / 4096.0);
        log.WriteLine($"void fraction {empty:P1}");
        Assert.True(empty > 0.5, $"only {empty:P1} of pixels see the void");
    }

    [Fact]
    public async Task Step_forward_into_a_wall_sets_the_collision_flag()
    {
        var session = await sim.OpenAsync("procedural:4");
        StepResponse step = new();
        for (var i = 0; i < 200 && !step.State?.Collided == true || i == 0; i++)
            step = await sim.Client.StepAsync(new StepRequest { SessionId = session, Action = Sim.V1.Action.MoveForward });
        Assert.True(step.State.Collided);
        var rendered = await sim.Client.StepAsync(new StepRequest { SessionId = session, Action = Sim.V1.Action.TurnLeft, Render = true });
        Assert.False(rendered.State.Collided);
        Assert.Equal(64 * 64 * 3, rendered.Frame.RgbLeft.Length);
    }
}

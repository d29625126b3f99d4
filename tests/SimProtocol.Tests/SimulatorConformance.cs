using System.Numerics;
using System.Runtime.InteropServices;
using DistDepth.Sim.V1;
using Grpc.Core;

namespace DistDepth.SimProtocol.Tests;

public sealed class EmbeddedConformance(EmbeddedServer server) : SimulatorConformance(server), IClassFixture<EmbeddedServer>;

public sealed class HabitatConformance(HabitatServer server) : SimulatorConformance(server), IClassFixture<HabitatServer>;

/// <summary>
/// What simulator.proto promises, checked the same way on every server: the embedded C# one and
/// sim/habitat on (a fake of) habitat-sim. A server that passes is interchangeable for simgen.
/// </summary>
public abstract class SimulatorConformance(SimulatorServer server)
{
    readonly Simulator.SimulatorClient sim = server.Client;

    async Task<LoadSceneResponse> LoadAsync(int size = 64)
    {
        var loaded = await sim.LoadSceneAsync(new LoadSceneRequest { SceneId = server.SceneId });
        await sim.ConfigureRigAsync(new ConfigureRigRequest { SessionId = loaded.SessionId, Rig = new StereoRig { Width = size, Height = size } });
        return loaded;
    }

    async Task<Vector3> SampleAsync(string session, ulong seed) =>
        (await sim.SampleNavigablePointAsync(new SampleNavigablePointRequest { SessionId = session, Seed = seed })).Point.ToVector3();

    [Fact]
    public async Task GetInfoNamesTheServerAndOffersEveryTrajectoryMode()
    {
        var info = await sim.GetInfoAsync(new GetInfoRequest());
        Assert.Equal(server.ExpectedName, info.Name);
        Assert.False(string.IsNullOrEmpty(info.Version));
        Assert.NotEmpty(info.SceneKinds);
        Assert.Equal([TrajectoryMode.Navigate, TrajectoryMode.WalkIntoWall, TrajectoryMode.StareAtWall, TrajectoryMode.LookIntoVoid],
            info.TrajectoryModes.Order());
    }

    [Fact]
    public async Task ListScenesIncludesTheTestScene()
    {
        var scenes = await sim.ListScenesAsync(new ListScenesRequest());
        Assert.Contains(scenes.Scenes, s => s.Id == server.SceneId && s.Kind != SceneKind.Unspecified);
    }

    [Fact]
    public async Task LoadSceneOpensASessionWithSimSinsRig()
    {
        var loaded = await sim.LoadSceneAsync(new LoadSceneRequest { SceneId = server.SceneId });
        Assert.False(string.IsNullOrEmpty(loaded.SessionId));
        Assert.Equal(server.SceneId, loaded.Scene.Id);
        Assert.True(loaded.NavigableAreaM2 > 1, $"navigable area {loaded.NavigableAreaM2}");
        var rig = loaded.Rig;
        Assert.Equal((0.1312f, 512, 512, 90f, 1.5f, 0f), (rig.BaselineM, rig.Width, rig.Height, rig.HfovDeg, rig.CameraHeightM, rig.ExposureJitter));
        Assert.Equal([Output.RgbLeft, Output.RgbRight, Output.DepthLeft, Output.DepthRight], rig.Outputs);
    }

    [Fact]
    public async Task LoadSceneOfAnUnknownSceneIsNotFound()
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => sim.LoadSceneAsync(new LoadSceneRequest { SceneId = "no-such-scene.glb" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, e.StatusCode);
        Assert.Contains("no-such-scene.glb", e.Status.Detail);
    }

    [Fact]
    public async Task ConfigureRigKeepsUnsetFieldsAndRejectsZeroSizeOrBaseline()
    {
        var session = (await sim.LoadSceneAsync(new LoadSceneRequest { SceneId = server.SceneId })).SessionId;
        var rig = await sim.ConfigureRigAsync(new ConfigureRigRequest { SessionId = session, Rig = new StereoRig { Width = 96, HfovDeg = 70, Outputs = { Output.DepthLeft, Output.RgbLeft } } });
        Assert.Equal((0.1312f, 96, 512, 70f, 1.5f), (rig.BaselineM, rig.Width, rig.Height, rig.HfovDeg, rig.CameraHeightM));
        Assert.Equal([Output.RgbLeft, Output.DepthLeft], rig.Outputs);
        foreach (var bad in new[] { new StereoRig { Width = 0 }, new StereoRig { Height = 0 }, new StereoRig { BaselineM = 0 }, new StereoRig { HfovDeg = 180 } })
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => sim.ConfigureRigAsync(new ConfigureRigRequest { SessionId = session, Rig = bad }).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        }
        var kept = await sim.ConfigureRigAsync(new ConfigureRigRequest { SessionId = session, Rig = new StereoRig() });
        Assert.Equal((96, 70f), (kept.Width, kept.HfovDeg));

        var tilted = await sim.ConfigureRigAsync(new ConfigureRigRequest { SessionId = session, Rig = new StereoRig { MountRotationRad = new Vec3 { X = 0.2f } } });
        Assert.Equal(0.2f, tilted.MountRotationRad.X, 1e-6f);
        var tiltedOver = await Assert.ThrowsAsync<RpcException>(() => sim.ConfigureRigAsync(new ConfigureRigRequest { SessionId = session, Rig = new StereoRig { MountRotationRad = new Vec3 { X = 2f } } }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, tiltedOver.StatusCode);
        // The mount pitches the cameras, not the agent.
        var state = await sim.SetPoseAsync(new SetPoseRequest { SessionId = session, Agent = PoseOf(await SampleAsync(session, 1), Quaternion.Identity) });
        Assert.Equal(MathF.Sin(0.2f), Forward(state.LeftCamera.Rotation).Y, 1e-3f);
        Assert.Equal(0f, Forward(state.Agent.Rotation).Y, 1e-3f);
    }

    [Fact]
    public async Task SampleNavigablePointIsDeterministicForASeedAndOnTheFloor()
    {
        var loaded = await LoadAsync();
        var a = await SampleAsync(loaded.SessionId, 7);
        Assert.Equal(a, await SampleAsync(loaded.SessionId, 7));
        var others = new List<Vector3>();
        for (ulong seed = 1; seed <= 5; seed++) others.Add(await SampleAsync(loaded.SessionId, seed));
        Assert.True(others.Distinct().Count() > 1, "different seeds give different points");
        // Both test scenes have their floor at y = 0.
        Assert.All(others.Append(a), p => Assert.InRange(p.Y, -0.1f, 0.1f));
    }

    [Fact]
    public async Task ShortestPathIsFoundAndNoShorterThanTheStraightLine()
    {
        var session = (await LoadAsync()).SessionId;
        Vector3 start = await SampleAsync(session, 11), end = await SampleAsync(session, 12);
        var path = await sim.ShortestPathAsync(new ShortestPathRequest { SessionId = session, Start = start.ToProto(), End = end.ToProto() });
        Assert.True(path.Found);
        Assert.True(path.GeodesicDistance >= Vector3.Distance(start, end) - 1e-3f, $"geodesic {path.GeodesicDistance} < straight {Vector3.Distance(start, end)}");
        var points = path.Points.Select(p => p.ToVector3()).ToList();
        Assert.True(points.Count >= 2);
        Assert.True(Vector3.Distance(points[0], start) < 0.3f && Vector3.Distance(points[^1], end) < 0.3f, "the path joins the two points");
        var length = points.Zip(points.Skip(1), Vector3.Distance).Sum();
        Assert.Equal(path.GeodesicDistance, length, 0.05f);
    }

    [Fact]
    public async Task SetPoseThenRenderGivesTheFrameAtThatPoseWithHabitatIntrinsics()
    {
        var session = (await LoadAsync()).SessionId;
        await sim.ConfigureRigAsync(new ConfigureRigRequest { SessionId = session, Rig = new StereoRig { Width = 80, Height = 60, HfovDeg = 75 } });
        var position = await SampleAsync(session, 3);
        var rotation = Quaternion.CreateFromAxisAngle(Vector3.UnitY, 0.5f);
        var state = await sim.SetPoseAsync(new SetPoseRequest { SessionId = session, Agent = PoseOf(position, rotation) });
        AssertNear(position, state.Agent.Position.ToVector3());
        AssertNear(position + new Vector3(0, 1.5f, 0), state.LeftCamera.Position.ToVector3());
        AssertSameRotation(rotation, state.LeftCamera.Rotation);

        var frame = await sim.RenderAsync(new RenderRequest { SessionId = session });
        AssertNear(state.LeftCamera.Position.ToVector3(), frame.LeftCamera.Position.ToVector3());
        AssertSameRotation(rotation, frame.LeftCamera.Rotation);
        var f = (float)(40 / Math.Tan(75 * Math.PI / 360));
        Assert.Equal((80, 60, 40f, 30f), (frame.Intrinsics.Width, frame.Intrinsics.Height, frame.Intrinsics.Cx, frame.Intrinsics.Cy));
        Assert.Equal(f, frame.Intrinsics.Fx, 1e-3f);
        Assert.Equal(f, frame.Intrinsics.Fy, 1e-3f);
        Assert.Equal(0.1312f, frame.BaselineM, 1e-6f);
        Assert.Equal((80 * 60 * 3, 80 * 60 * 3), (frame.RgbLeft.Length, frame.RgbRight.Length));
        Assert.Equal((80 * 60 * 4, 80 * 60 * 4), (frame.DepthLeft.Length, frame.DepthRight.Length));
        var depth = Depth(frame.DepthLeft);
        Assert.All(depth, d => Assert.True(float.IsFinite(d) && d >= 0, $"depth {d}"));
        Assert.True(depth.Count(d => d > 0) > depth.Length / 2, "most of the view sees geometry");
    }

    [Fact]
    public async Task StepMoveForwardMovesAQuarterMetreAndAWallStopsIt()
    {
        var session = (await LoadAsync()).SessionId;
        var start = await SampleAsync(session, 21);
        // Find a heading with room for one step, then keep walking until a wall blocks.
        StepResponse? free = null;
        for (var i = 0; i < 36 && free == null; i++)
        {
            await sim.SetPoseAsync(new SetPoseRequest { SessionId = session, Agent = PoseOf(start, Quaternion.CreateFromAxisAngle(Vector3.UnitY, i * MathF.Tau / 36)) });
            var step = await sim.StepAsync(new StepRequest { SessionId = session, Action = Sim.V1.Action.MoveForward });
            if (!step.State.Collided) free = step;
        }
        Assert.NotNull(free);
        Assert.Equal(0.25f, Vector3.Distance(start, free.State.Agent.Position.ToVector3()), 0.01f);

        var collided = false;
        for (var i = 0; i < 100 && !collided; i++)
            collided = (await sim.StepAsync(new StepRequest { SessionId = session, Action = Sim.V1.Action.MoveForward })).State.Collided;
        Assert.True(collided, "walking straight for 25 m never hit a wall");

        var turned = await sim.StepAsync(new StepRequest { SessionId = session, Action = Sim.V1.Action.TurnLeft, Render = true });
        Assert.False(turned.State.Collided);
        Assert.NotNull(turned.Frame);
        var look = await sim.StepAsync(new StepRequest { SessionId = session, Action = Sim.V1.Action.LookUp });
        Assert.Equal(MathF.PI / 18, MathF.Asin(Forward(look.State.LeftCamera.Rotation).Y), 1e-3f);
    }

    [Fact]
    public async Task TheRightImageWarpedWithLeftDepthMatchesTheLeftImage()
    {
        // A wide baseline gives disparities of several pixels at 128 px, so the check has teeth.
        const int size = 128;
        const float baseline = 0.4f;
        var session = (await LoadAsync(size)).SessionId;
        await sim.ConfigureRigAsync(new ConfigureRigRequest { SessionId = session, Rig = new StereoRig { BaselineM = baseline } });
        var position = await SampleAsync(session, 5);
        await sim.SetPoseAsync(new SetPoseRequest { SessionId = session, Agent = PoseOf(position, Quaternion.CreateFromAxisAngle(Vector3.UnitY, 2.2f)) });
        var frame = await sim.RenderAsync(new RenderRequest { SessionId = session });
        var (warped, unwarped, pixels) = StereoWarp.PhotometricErrors(frame.RgbLeft.Span, frame.RgbRight.Span, Depth(frame.DepthLeft), size, size, frame.Intrinsics.Fx, frame.BaselineM);
        Assert.True(pixels > size * size / 3, $"only {pixels} pixels compared");
        Assert.True(warped < 0.5 * unwarped, $"warped error {warped:F2} vs unwarped {unwarped:F2}: stereo geometry is off");
    }

    [Fact]
    public async Task RunTrajectoryStreamsConsecutiveFramesInSmallSteps()
    {
        var session = (await LoadAsync()).SessionId;
        var frames = await TrajectoryAsync(session, TrajectoryMode.Navigate, 16);
        Assert.Equal(Enumerable.Range(0, 16), frames.Select(f => f.Index));
        Assert.All(frames, f => Assert.Equal((64 * 64 * 3, 64 * 64 * 4), (f.RgbLeft.Length, f.DepthLeft.Length)));
        for (var i = 1; i < frames.Count; i++)
            Assert.InRange(Vector3.Distance(frames[i - 1].LeftCamera.Position.ToVector3(), frames[i].LeftCamera.Position.ToVector3()), 0, 0.35);
        Assert.True(Vector3.Distance(frames[0].LeftCamera.Position.ToVector3(), frames[^1].LeftCamera.Position.ToVector3()) > 0.3, "the agent moved");
    }

    [Fact]
    public async Task FramesThroughTheSharedMemoryRingEqualFramesStreamedInline()
    {
        var session = (await LoadAsync()).SessionId;
        var inline = await TrajectoryAsync(session, TrajectoryMode.Navigate, 6);
        using var connection = await DistDepth.SimBridge.SimulatorConnection.ConnectAsync(server.Address, default);
        var request = new RunTrajectoryRequest { SessionId = session, Seed = 4, FrameCount = 6, Mode = TrajectoryMode.Navigate };
        var shared = new List<Frame>();
        var throughRing = 0;
        // One frame held at a time: a ring of 3 slots, so the server must wait for released slots.
        await foreach (var f in connection.RunTrajectoryAsync(request, 64, 64, 1, DateTime.UtcNow.AddMinutes(1), default))
        {
            if (f.Frame.SharedMemory != null) throughRing++;
            shared.Add(f.Detach());
        }
        Assert.Equal(6, throughRing);
        Assert.Equal(inline, shared); // every field and every image byte
    }

    [Fact]
    public async Task ARingOfferTheServerCannotVerifyIsDeclinedAndNoOtherFileIsWritten()
    {
        var session = (await LoadAsync()).SessionId;
        var inline = await TrajectoryAsync(session, TrajectoryMode.Navigate, 2);
        var slotBytes = DistDepth.SimServer.Service.FrameRing.SlotBytesFor(64, 64);
        using var ring = DistDepth.SimServer.Service.FrameRing.Reader.Create(slotBytes, slotCount: 2);
        var wrongToken = ring.Offer;
        wrongToken.Token ^= 1;
        var tooSmall = ring.Offer;
        tooSmall.SlotBytes = 16; // the file's size then disagrees too
        var folder = TempFolder.New("not-a-ring");
        var victim = Path.Combine(folder, "notes.txt");
        var content = new byte[4096 + 2 * slotBytes];
        File.WriteAllBytes(victim, content);
        var notARing = new SharedMemoryRing { Path = victim, Token = 0, SlotCount = 2, SlotBytes = slotBytes };
        foreach (var offer in new[] { wrongToken, tooSmall, notARing })
        {
            var request = new RunTrajectoryRequest { SessionId = session, Seed = 4, FrameCount = 2, Mode = TrajectoryMode.Navigate, SharedMemory = offer };
            using var call = sim.RunTrajectory(request);
            var frames = await call.ResponseStream.ReadAllAsync().ToListAsync();
            Assert.All(frames, f => Assert.Null(f.SharedMemory));
            Assert.Equal(inline, frames);
        }
        Assert.Equal(content, File.ReadAllBytes(victim));
    }

    [Fact]
    public async Task FailureTrajectoriesHitTheWallAndStareAtIt()
    {
        var session = (await LoadAsync()).SessionId;
        var walk = await TrajectoryAsync(session, TrajectoryMode.WalkIntoWall, 60);
        Assert.Contains(walk, f => f.Collided);
        var stare = await TrajectoryAsync(session, TrajectoryMode.StareAtWall, 4);
        var depth = Depth(stare[0].DepthLeft).Where(d => d > 0).Order().ToArray();
        Assert.True(depth[depth.Length / 2] < 0.35f, $"median depth {depth[depth.Length / 2]} m is not a wall up close");
        var void_ = await TrajectoryAsync(session, TrajectoryMode.LookIntoVoid, 4);
        Assert.Equal(4, void_.Count);
    }

    [Fact]
    public async Task AClosedSessionIsNotFound()
    {
        var session = (await LoadAsync()).SessionId;
        await sim.CloseSessionAsync(new CloseSessionRequest { SessionId = session });
        var render = await Assert.ThrowsAsync<RpcException>(() => sim.RenderAsync(new RenderRequest { SessionId = session }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, render.StatusCode);
        var close = await Assert.ThrowsAsync<RpcException>(() => sim.CloseSessionAsync(new CloseSessionRequest { SessionId = session }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, close.StatusCode);
    }

    async Task<List<Frame>> TrajectoryAsync(string session, TrajectoryMode mode, int count)
    {
        using var call = sim.RunTrajectory(new RunTrajectoryRequest { SessionId = session, Seed = 4, FrameCount = count, Mode = mode });
        var frames = new List<Frame>();
        await foreach (var f in call.ResponseStream.ReadAllAsync()) frames.Add(f);
        return frames;
    }

    static Pose PoseOf(Vector3 position, Quaternion q) =>
        new() { Position = position.ToProto(), Rotation = new Quat { W = q.W, X = q.X, Y = q.Y, Z = q.Z } };

    static float[] Depth(Google.Protobuf.ByteString bytes) => MemoryMarshal.Cast<byte, float>(bytes.Span).ToArray();

    static Vector3 Forward(Quat q) => Vector3.Transform(-Vector3.UnitZ, new Quaternion(q.X, q.Y, q.Z, q.W));

    static void AssertNear(Vector3 expected, Vector3 actual) =>
        Assert.True(Vector3.Distance(expected, actual) < 1e-3f, $"expected {expected}, got {actual}");

    static void AssertSameRotation(Quaternion expected, Quat actual) =>
        Assert.True(MathF.Abs(Quaternion.Dot(expected, new Quaternion(actual.X, actual.Y, actual.Z, actual.W))) > 0.9999f, $"rotation {actual} is not {expected}");
}

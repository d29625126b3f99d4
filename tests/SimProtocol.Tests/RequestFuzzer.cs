using DistDepth.Sim.V1;
using DistDepth.SimServer.Service;
using Grpc.Core;

namespace DistDepth.SimProtocol.Tests;

/// <summary>Random requests of every method: valid ones (to get sessions that go deep) mixed with fields
/// nulled, negated, huge, non-finite or naming files they should not, and ring offers that lie.</summary>
sealed class RequestFuzzer(Random rng, string sentinel, int serverPid)
{
    readonly List<string> sessions = [];

    static readonly float[] Floats = [0, -0f, 1, -1, 0.1312f, 0.5f, 1.5f, 64, 90, 179, 180, 1e4f, 1.0001e4f, 1e18f, -1e18f, 1e-30f,
                                      float.Epsilon, float.MaxValue, float.MinValue, float.NaN, float.PositiveInfinity, float.NegativeInfinity];
    static readonly int[] Sizes = [0, -1, 1, 2, 8, 32, 64, 4097, int.MaxValue, int.MinValue]; // 4096 is valid but slow to render
    static readonly int[] Counts = [-1, 0, 1, 2, 3, 1_000_000, 1_000_001, int.MaxValue, int.MinValue];

    public void Opened(string session)
    {
        sessions.Add(session);
        if (sessions.Count > 20) sessions.RemoveAt(0);
    }

    /// <summary>A session the server no longer has (closed, expired): later requests pick live ones.</summary>
    public void Gone(string session) => sessions.Remove(session);

    T Pick<T>(IReadOnlyList<T> items) => items[rng.Next(items.Count)];

    float F() => rng.Next(3) == 0 ? (float)(rng.NextDouble() * 20 - 10) : Pick(Floats);

    Vec3? V() => rng.Next(6) == 0 ? null : new Vec3 { X = F(), Y = F(), Z = F() };

    string SessionId() => rng.Next(12) switch
    {
        0 => "",
        1 => Guid.NewGuid().ToString("N"),
        2 => new string('x', 10_000),
        _ => sessions.Count > 0 ? Pick(sessions) : "",
    };

    string SceneId() => rng.Next(16) switch
    {
        0 => "procedural:07",
        1 => "procedural:-1",
        2 => "procedural:18446744073709551616",
        3 => "procedural:",
        4 => "inside.ply",
        5 => "out.ply",
        6 => "../sentinel/room.ply",
        7 => Path.Combine(sentinel, Pick(new[] { "room.ply", "secret.ply", "notes.txt" })),
        8 => Pick(new[] { "/etc/passwd", "/proc/self/fd/0", "/dev/zero", "", "\0", "./inside.ply", "inside.ply/..", "//inside.ply" }),
        9 => new string((char)rng.Next(1, 0xD7FF), rng.Next(1, 300)),
        _ => $"procedural:{rng.Next(4)}",
    };

    StereoRig Rig()
    {
        var rig = new StereoRig();
        if (rng.Next(2) == 0) rig.Width = Pick(Sizes);
        if (rng.Next(2) == 0) rig.Height = Pick(Sizes);
        if (rng.Next(3) == 0) rig.BaselineM = F();
        if (rng.Next(3) == 0) rig.HfovDeg = F();
        if (rng.Next(3) == 0) rig.CameraHeightM = F();
        if (rng.Next(4) == 0) rig.ExposureJitter = F();
        if (rng.Next(4) == 0) rig.MountRotationRad = V();
        for (var k = rng.Next(4) == 0 ? rng.Next(6) : 0; k > 0; k--) rig.Outputs.Add((Output)rng.Next(-1, 7));
        return rig;
    }

    /// <summary>A ring the fuzzer owns, offered honestly or with one lie, or a path the server must not write.</summary>
    SharedMemoryRing Offer(FrameRing.Reader ring)
    {
        var offer = ring.Offer;
        switch (rng.Next(9))
        {
            case 0: break; // honest
            case 1: offer.Token ^= (ulong)rng.NextInt64(1, long.MaxValue); break;
            case 2: offer.SlotCount = Pick(new[] { 0, -1, 1, 5, 64, 65, int.MaxValue }); break;
            case 3: offer.SlotBytes = Pick(new[] { 0L, -1L, 1L, 1L << 62, long.MaxValue, offer.SlotBytes * 2, offer.SlotBytes - 1 }); break;
            case 4: (offer.SlotCount, offer.SlotBytes) = (4, 1L << 62); break; // 4096 + 4 * 2^62 wraps to 4096
            case 5: offer.Path = Path.Combine(sentinel, $"{FrameRing.FilePrefix}x{FrameRing.FileSuffix}"); break;
            case 6: offer.Path = $"/proc/{serverPid}/fd/{rng.Next(0, 40)}"; break;
            case 7: offer.Path = $"/proc/self/fd/{rng.Next(0, 40)}"; break;
            default: offer.Path = Pick(new[] { "", "/dev/zero", "/dev/shm/../../etc/passwd", $"/proc/{Environment.ProcessId}/fd/0", "relative.ring" }); break;
        }
        return offer;
    }

    /// <summary>A named call that returns the session it opened, if any.</summary>
    public (string Name, Func<DateTime, Task<string?>> Call) Next(Simulator.SimulatorClient c)
    {
        switch (rng.Next(11))
        {
            case 0:
            case 1:
                var scene = SceneId();
                return ($"LoadScene {scene[..Math.Min(40, scene.Length)]}", async d => (await c.LoadSceneAsync(new LoadSceneRequest { SceneId = scene }, deadline: d)).SessionId);
            case 2:
                var rig = new ConfigureRigRequest { SessionId = SessionId(), Rig = rng.Next(8) == 0 ? null : Rig() };
                return ($"ConfigureRig {rig.Rig}", async d => { await c.ConfigureRigAsync(rig, deadline: d); return null; });
            case 3:
                var pose = new SetPoseRequest { SessionId = SessionId(), Agent = rng.Next(8) == 0 ? null : new Pose { Position = V(), Rotation = rng.Next(6) == 0 ? null : new Quat { W = F(), X = F(), Y = F(), Z = F() } } };
                return ($"SetPose {pose.Agent}", async d => { await c.SetPoseAsync(pose, deadline: d); return null; });
            case 4:
                var step = new StepRequest { SessionId = SessionId(), Action = (Sim.V1.Action)rng.Next(-2, 8), Render = rng.Next(2) == 0 };
                return ($"Step {step.Action}", async d => { await c.StepAsync(step, deadline: d); return null; });
            case 5:
                var path = new ShortestPathRequest { SessionId = SessionId(), Start = V(), End = V() };
                return ($"ShortestPath {path.Start} {path.End}", async d => { await c.ShortestPathAsync(path, deadline: d); return null; });
            case 6:
                var sample = new SampleNavigablePointRequest { SessionId = SessionId(), Seed = (ulong)rng.NextInt64() };
                return ("SampleNavigablePoint", async d => { await c.SampleNavigablePointAsync(sample, deadline: d); return null; });
            case 7:
                var render = new RenderRequest { SessionId = SessionId() };
                return ("Render", async d => { await c.RenderAsync(render, deadline: d); return null; });
            case 8:
                var close = new CloseSessionRequest { SessionId = SessionId() };
                return ("CloseSession", async d => { await c.CloseSessionAsync(close, deadline: d); return null; });
            default:
                // A fresh ring per stream, as clients make them: the release counters count from zero.
                var ring = rng.Next(2) == 0 ? FrameRing.Reader.Create(FrameRing.SlotBytesFor(64, 64), slotCount: 4) : null;
                var run = new RunTrajectoryRequest
                {
                    SessionId = SessionId(), Seed = (ulong)rng.NextInt64(), FrameCount = Pick(Counts), Mode = (TrajectoryMode)rng.Next(-1, 6),
                    SharedMemory = ring != null ? Offer(ring) : null,
                };
                if (rng.Next(3) == 0) run.StepM = F();
                if (rng.Next(4) == 0) run.YawJitterDeg = F();
                if (rng.Next(4) == 0) run.PitchJitterDeg = F();
                if (rng.Next(4) == 0) run.HeightJitterM = F();
                var keep = rng.Next(1, 4);
                return ($"RunTrajectory {run}", async d =>
                {
                    using var _ = ring;
                    using var call = c.RunTrajectory(run, deadline: d);
                    // Read a few frames (releasing ring slots as a client does), then leave mid-stream.
                    for (var n = 0; n < keep && await call.ResponseStream.MoveNext(CancellationToken.None); n++)
                    {
                        var frame = call.ResponseStream.Current;
                        if (frame.SharedMemory != null) ring!.Receive(frame).Dispose();
                    }
                    return null;
                });
        }
    }
}

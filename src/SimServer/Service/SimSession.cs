using DistDepth.SimServer.Geometry;
using DistDepth.SimServer.Navigation;
using DistDepth.SimServer.Rendering;
using DistDepth.SimServer.Scenes;

namespace DistDepth.SimServer.Service;

/// <summary>One client's simulation: a scene, a rig and an agent. Calls on a session are serialised;
/// sessions run in parallel.</summary>
public sealed class SimSession(string id, LoadedScene scene)
{
    private const int ExposureStream = 0x3c6ef372;
    private StereoRenderer _renderer = new(StereoRig.SimSin);
    private readonly CancellationTokenSource _closed = new();
    private long _lastUsed = Environment.TickCount64;

    public string Id => id;
    public LoadedScene Scene => scene;
    public object Gate { get; } = new();
    public StereoRig Rig => _renderer.Rig;
    public AgentState Agent { get; set; } = new(scene.Grid.SamplePoint(new Random(0)) ?? (scene.Mesh.BoundsMin + scene.Mesh.BoundsMax) / 2, 0, 0);
    public int FramesRendered { get; private set; }

    /// <summary>Cancelled when the session is closed or expires: ends its running trajectory.</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>One trajectory streams at a time, so a session holds at most one stream's frames.</summary>
    public SemaphoreSlim Streaming { get; } = new(1, 1);

    /// <summary>When a call last used the session or a frame of it was sent (Environment.TickCount64).</summary>
    public long LastUsed => Interlocked.Read(ref _lastUsed);

    public void Touch() => Interlocked.Exchange(ref _lastUsed, Environment.TickCount64);

    public void Close() => _closed.Cancel();

    public void Configure(StereoRig rig)
    {
        rig.Validate();
        if (rig != _renderer.Rig) _renderer = new StereoRenderer(rig);
    }

    /// <summary>Renders the rig at <paramref name="leftCamera"/>; the exposure gain is drawn from
    /// <paramref name="seed"/> so a trajectory replays byte for byte.</summary>
    public (StereoImages Images, float Gain) Render(RigidPose leftCamera, ulong seed)
    {
        var gain = Gain(seed);
        return (_renderer.Render(scene.Mesh, leftCamera, gain), gain);
    }

    /// <summary>As <see cref="Render"/>, into memory the caller owns; returns the exposure gain.</summary>
    public float RenderInto(RigidPose leftCamera, ulong seed, StereoTargets targets)
    {
        var gain = Gain(seed);
        _renderer.RenderInto(scene.Mesh, leftCamera, targets, gain);
        return gain;
    }

    private float Gain(ulong seed)
    {
        FramesRendered++;
        return Rig.ExposureJitter > 0 ? Math.Clamp(1 + Rig.ExposureJitter * Seeded.Random(seed, ExposureStream).NextGaussian(), 0.25f, 4f) : 1f;
    }
}

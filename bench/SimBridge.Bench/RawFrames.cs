using DistDepth.Sim.V1;
using DistDepth.SimBridge;
using DistDepth.SimServer.Service;

/// <summary>The frames simgen asks the embedded simulator for (same rig, mount rotation and exposure as
/// simgen's plan), fetched raw and kept in memory.</summary>
static class RawFrames
{
    public static async Task<List<(SequenceJob Job, Frame Frame)>> FetchAsync(IReadOnlyList<SequenceJob> plan, SimGenOptions options, params Output[] outputs)
    {
        var raw = new List<(SequenceJob Job, Frame Frame)>();
        await using var host = await SimulatorHost.StartAsync();
        using var connection = await SimulatorConnection.ConnectAsync(host.Address, default);
        foreach (var job in plan)
        {
            var session = await connection.SessionForAsync(job.SceneId, default);
            await connection.Client.ConfigureRigAsync(new ConfigureRigRequest
            {
                SessionId = session,
                Rig = new StereoRig
                {
                    Width = options.Width, Height = options.Height, BaselineM = options.BaselineM, HfovDeg = options.HfovDeg, CameraHeightM = job.CameraHeightM,
                    ExposureJitter = options.ExposureJitter,
                    MountRotationRad = new Vec3 { X = job.MountRotationRad.Pitch, Y = job.MountRotationRad.Yaw, Z = job.MountRotationRad.Roll },
                    Outputs = { outputs },
                },
            });
            var request = new RunTrajectoryRequest { SessionId = session, Seed = job.Seed, FrameCount = options.Frames, Mode = job.Mode };
            await foreach (var f in connection.RunTrajectoryAsync(request, options.Width, options.Height, 1, DateTime.UtcNow.AddMinutes(5), default))
                raw.Add((job, f.Detach()));
        }
        return raw;
    }
}

using DistDepth.SimServer.Geometry;
using DistDepth.SimServer.Navigation;

namespace DistDepth.SimServer.Rendering;

/// <summary>
/// A pose worth a preview: the first frame of seeded walks, tried seed after seed until one sees
/// more than a wall at arm's length (median depth over <see cref="MinMedianDepthM"/>, probed at
/// 64x64). After <see cref="Tries"/> seeds the most open pose found is used.
/// </summary>
public static class PreviewPose
{
    public const float MinMedianDepthM = 1f;
    private const int Tries = 16;
    private const int ProbeSize = 64;

    public static (RigidPose Camera, float MedianDepthM, ulong Seed) Pick(SceneMesh mesh, NavGrid grid, StereoRig rig, ulong seed)
    {
        var probeRig = rig with { Width = ProbeSize, Height = ProbeSize, Outputs = RigOutputs.DepthLeft };
        var probe = new StereoRenderer(probeRig);
        var planner = new TrajectoryPlanner(mesh, grid, rig.CameraHeightM);
        (RigidPose Camera, float Median, ulong Seed) best = default;
        for (var i = 0UL; i < Tries; i++)
        {
            var agent = planner.Plan(new TrajectorySettings(TrajectoryKind.Navigate, seed + i, 1)).First();
            var camera = rig.LeftCamera(agent.LeftCamera(rig.CameraHeightM));
            var median = MedianDepth(probe.Render(mesh, camera).DepthLeft!);
            if (i == 0 || median > best.Median) best = (camera, median, seed + i);
            if (median > MinMedianDepthM) break;
        }
        return best;
    }

    /// <summary>Void (no surface, depth 0) counts as far: looking out of an open side is a view.</summary>
    private static float MedianDepth(float[] depth)
    {
        var sorted = depth.Select(d => d > 0 ? d : float.PositiveInfinity).Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}

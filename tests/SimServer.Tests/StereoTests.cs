using System.Numerics;
using DistDepth.SimServer.Geometry;
using DistDepth.SimServer.Navigation;
using DistDepth.SimServer.Rendering;
using DistDepth.SimServer.Scenes;
using Xunit.Abstractions;

namespace DistDepth.SimServer.Tests;

/// <summary>Acceptance 2: the right view is the left view seen from +baseline along the left camera's
/// +x, so warping it with the left depth (disparity fx*B/z, sampled at u - d) reproduces the left.</summary>
public sealed class StereoTests(ITestOutputHelper log)
{
    // The second case tilts the whole rig as SimSIN does per sequence: the pair must stay rectified.
    [Theory]
    [InlineData(0f, 0f, 0f)]
    [InlineData(0.3f, -0.35f, 0.4f)]
    public void Right_image_warped_with_left_depth_matches_left_image(float pitch, float yaw, float roll)
    {
        var scene = new SceneCatalog(null).Load("procedural:7");
        var rig = StereoRig.SimSin with { Width = 256, Height = 256, MountRotationRad = new(pitch, yaw, roll) };
        var renderer = new StereoRenderer(rig);
        var k = rig.Intrinsics;
        double warped = 0, unwarped = 0;
        long count = 0;
        foreach (var frame in new TrajectoryPlanner(scene.Mesh, scene.Grid, rig.CameraHeightM)
                     .Plan(new TrajectorySettings(TrajectoryKind.Navigate, 3, 40)).Where((_, i) => i % 8 == 0))
        {
            var camera = rig.LeftCamera(frame.LeftCamera(rig.CameraHeightM));
            var tilt = MathF.Asin(Math.Clamp(Vector3.Transform(Vector3.UnitX, camera.Rotation).Y, -1, 1));
            if (roll != 0) Assert.True(MathF.Abs(tilt) > 0.1f, "the mount rotation tilts the camera");
            var images = renderer.Render(scene.Mesh, camera);
            for (var y = 0; y < rig.Height; y++)
            for (var x = 0; x < rig.Width; x++)
            {
                var z = images.DepthLeft![y * rig.Width + x];
                if (z <= 0) continue;
                var u = x + 0.5f - k.Fx * rig.BaselineM / z; // where the point lands in the right image
                var x0 = (int)MathF.Floor(u - 0.5f);
                if (x0 < 0 || x0 + 1 >= rig.Width) continue;
                var t = u - 0.5f - x0;
                for (var c = 0; c < 3; c++)
                {
                    var left = images.RgbLeft![(y * rig.Width + x) * 3 + c];
                    var right = images.RgbRight![(y * rig.Width + x0) * 3 + c] * (1 - t) + images.RgbRight[(y * rig.Width + x0 + 1) * 3 + c] * t;
                    warped += Math.Abs(left - right);
                    unwarped += Math.Abs(left - images.RgbRight[(y * rig.Width + x) * 3 + c]);
                }
                count += 3;
            }
        }
        double warpedL1 = warped / count, unwarpedL1 = unwarped / count;
        log.WriteLine($"mean photometric L1 (0-255): right warped into left {warpedL1:F2}, unwarped right {unwarpedL1:F2}");
        Assert.True(warpedL1 < unwarpedL1 / 3, $"warped L1 {warpedL1:F2} is not well below unwarped {unwarpedL1:F2}");
    }
}

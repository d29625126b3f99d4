using DistDepth.SimServer.Geometry;
using DistDepth.SimServer.Navigation;
using DistDepth.SimServer.Rendering;
using DistDepth.SimServer.Scenes;

namespace DistDepth.SimServer.Tests;

/// <summary>Issue 19: what the renderer may assume about generated interiors, checked by rendering them.</summary>
public sealed class InteriorRenderTests
{
    /// <summary>The interiors are single-sided (every face wound toward where it can be seen from), so the
    /// rasterizer skips faces turned away: the images must be those of drawing every face, but for the odd
    /// silhouette pixel, where a turned-away face's edge took the pixel centre first within the edge tolerance.</summary>
    [Theory]
    [InlineData(0UL)]
    [InlineData(5UL)]
    [InlineData(13UL)]
    public void Skipping_faces_turned_away_changes_no_pixel_off_a_silhouette(ulong seed)
    {
        var scene = new SceneCatalog(null).Load($"procedural:{seed}");
        var mesh = scene.Mesh;
        Assert.True(mesh.SingleSided);
        var twoSided = new SceneMesh(mesh.Positions, mesh.Colors, mesh.Uvs, mesh.Indices, mesh.TriangleMaterials, mesh.Materials, singleSided: false);
        var rig = StereoRig.SimSin with { Width = 96, Height = 96, Outputs = RigOutputs.DepthLeft };
        var renderer = new StereoRenderer(rig);
        var frames = new TrajectoryPlanner(mesh, scene.Grid, rig.CameraHeightM).Plan(new TrajectorySettings(TrajectoryKind.Navigate, seed, 60));
        int pixels = 0, differ = 0;
        foreach (var frame in frames.Where((_, i) => i % 6 == 0))
        {
            var pose = frame.LeftCamera(rig.CameraHeightM);
            var culled = renderer.Render(mesh, pose).DepthLeft;
            var all = renderer.Render(twoSided, pose).DepthLeft;
            for (var p = 0; p < all.Length; p++)
            {
                pixels++;
                if (culled[p] == all[p]) continue;
                differ++;
                Assert.True(OnSilhouette(all, p % rig.Width, p / rig.Width, rig.Width, rig.Height) || MathF.Abs(culled[p] - all[p]) < 1e-4f,
                    $"pixel {p}: {culled[p]} m culled, {all[p]} m with every face, off any silhouette");
            }
        }
        Assert.True(differ <= pixels / 10_000, $"{differ} of {pixels} pixels differ");
    }

    /// <summary>A depth step of over 5% (or a hole) next to the pixel.</summary>
    private static bool OnSilhouette(float[] depth, int x, int y, int width, int height)
    {
        float lo = float.MaxValue, hi = 0;
        for (var dy = -1; dy <= 1; dy++)
        for (var dx = -1; dx <= 1; dx++)
        {
            var d = depth[Math.Clamp(y + dy, 0, height - 1) * width + Math.Clamp(x + dx, 0, width - 1)];
            (lo, hi) = (MathF.Min(lo, d), MathF.Max(hi, d));
        }
        return lo == 0 || hi / lo > 1.05f;
    }

    [Fact]
    public void Windows_show_their_daylight_untouched_by_face_shading_and_baked_light()
    {
        var mesh = new SceneCatalog(null).Load("procedural:3").Mesh;
        var window = Enumerable.Range(0, mesh.TriangleCount).Where(mesh.IsEmissive).ToList();
        Assert.NotEmpty(window);
        Assert.All(window, t => Assert.Equal(1f, mesh.FaceShade[t]));
        // Baked light leaves the daylight as the texture gives it: vertex colours stay white.
        Assert.All(window, t => Assert.Equal(System.Numerics.Vector3.One, mesh.Colors[mesh.Indices[3 * t]]));
    }
}

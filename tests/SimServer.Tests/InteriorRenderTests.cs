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

    /// <summary>Cell-and-portal culling (<see cref="ViewCells"/>) may only skip what no pixel shows: both views'
    /// colours and depths must equal those of drawing every room, but for the odd pixel where the pixel centre
    /// falls through a crack between two of the room's own faces (a T-junction of their 1 m cells) and a
    /// coplanar face of a neighbouring room, hidden but for that, closed it.</summary>
    [Theory]
    [InlineData(1UL)]
    [InlineData(4UL)]
    [InlineData(9UL)]
    [InlineData(21UL)]
    public void Skipping_rooms_out_of_sight_changes_no_pixel_but_through_a_crack(ulong seed)
    {
        var scene = new SceneCatalog(null).Load($"procedural:{seed}");
        var mesh = scene.Mesh;
        Assert.NotNull(mesh.Cells);
        var everyRoom = new SceneMesh(mesh.Positions, mesh.Colors, mesh.Uvs, mesh.Indices, mesh.TriangleMaterials, mesh.Materials, mesh.SingleSided);
        var rig = StereoRig.SimSin with { Width = 80, Height = 80, Outputs = RigOutputs.RgbLeft | RigOutputs.DepthLeft };
        var renderer = new StereoRenderer(rig);
        var planner = new TrajectoryPlanner(mesh, scene.Grid, rig.CameraHeightM);
        var frames = new[] { TrajectoryKind.Navigate, TrajectoryKind.LookIntoVoid }
            .SelectMany(kind => planner.Plan(new TrajectorySettings(kind, seed, 90)).Where((_, i) => i % 5 == 0));
        int pixels = 0, differ = 0;
        foreach (var frame in frames)
        {
            // The right view is the left one of a camera 13 cm over: the left views of both are tested.
            foreach (var pose in new[] { frame.LeftCamera(rig.CameraHeightM), rig.RightCamera(frame.LeftCamera(rig.CameraHeightM)) })
            {
                var (culled, all) = (renderer.Render(mesh, pose), renderer.Render(everyRoom, pose));
                for (var p = 0; p < all.DepthLeft!.Length; p++)
                {
                    pixels++;
                    var same = culled.DepthLeft![p] == all.DepthLeft[p];
                    for (var c = 0; c < 3; c++) same &= culled.RgbLeft![3 * p + c] == all.RgbLeft![3 * p + c];
                    if (same) continue;
                    differ++;
                    Assert.True(InCrack(culled.DepthLeft, all.DepthLeft, p % rig.Width, p / rig.Width, rig.Width, rig.Height),
                        $"pixel {p}: {culled.DepthLeft[p]} m culled, {all.DepthLeft[p]} m with every room, not a crack");
                }
            }
        }
        Assert.True(differ <= pixels / 10_000, $"{differ} of {pixels} pixels differ");
    }

    /// <summary>The culled view sees further at the pixel than at a neighbour, where drawing every room gave a
    /// depth within 0.1% of that neighbour's.</summary>
    private static bool InCrack(float[] culled, float[] all, int x, int y, int width, int height)
    {
        var p = y * width + x;
        for (var dy = -1; dy <= 1; dy++)
        for (var dx = -1; dx <= 1; dx++)
        {
            var q = Math.Clamp(y + dy, 0, height - 1) * width + Math.Clamp(x + dx, 0, width - 1);
            if (q != p && (culled[p] == 0 || culled[p] > culled[q]) && MathF.Abs(all[p] - all[q]) <= 1e-3f * all[q]) return true;
        }
        return false;
    }

    private static readonly ViewWindow Image = new(0, 0, 99, 99);

    [Fact]
    public void A_camera_sees_its_own_room_and_through_doorways_only()
    {
        var plan = InteriorLayout.Plan(4);
        var cells = new SceneCatalog(null).Load("procedural:4").Mesh.Cells!;
        Assert.Equal(plan.Rooms.Count, cells.RoomCount);
        Assert.True(cells.RoomCount >= 2);
        foreach (var room in plan.Rooms)
        {
            var centre = room.Main.Center;
            var camera = new System.Numerics.Vector3(centre.X, 1.5f, centre.Y);
            var blind = cells.Windows(camera, Image, (_, _) => null)!;
            Assert.Equal([room.Index], Enumerable.Range(0, blind.Length).Where(r => blind[r] != null));
            Assert.Equal(Image, blind[room.Index]);
            // Every room is reachable on foot through doorways: with every portal in view, every room shows,
            // through what the portals leave of the image.
            var narrowing = cells.Windows(camera, Image, (_, w) => w.Intersect(new ViewWindow(10, 0, 50, 99)))!;
            Assert.All(narrowing, (w, r) => Assert.Equal(r == room.Index ? Image : new ViewWindow(10, 0, 50, 99), w));
        }
        Assert.Null(cells.Windows(new System.Numerics.Vector3(-50, 1.5f, -50), Image, (_, w) => w));
        Assert.Contains(cells.TriangleRoom, r => r == -1);
        Assert.All(plan.Rooms, room => Assert.Contains(room.Index, cells.TriangleRoom));
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

using System.Numerics;
using DistDepth.SimServer.Geometry;
using DistDepth.SimServer.Rendering;
using DistDepth.SimServer.Scenes;
using OpenCvSharp;
using Xunit.Abstractions;

namespace DistDepth.SimServer.Tests;

/// <summary>Issue 19: a furnished room with the new materials, lit by two ceiling lights, rendered as the
/// dataset sees it; the picture (AO only on the left, lit on the right) is written for review.</summary>
public sealed class LitRoomTests(ITestOutputHelper output)
{
    private const float Width = 5, Depth = 4, Height = 2.6f;

    [Fact]
    public void A_room_lit_by_two_ceiling_lights_is_exposed_like_an_indoor_photo()
    {
        var rng = new Random(4);
        var room = Room(rng);
        var lights = new[] { new Vector3(1.6f, Height - 0.3f, 2f), new Vector3(3.6f, Height - 0.3f, 2f) }
            .Select(p => new SceneLight(p, new Vector3(1f, 0.93f, 0.82f), 2.5f, 0.3f)).ToArray();
        var lit = LightBake.Apply(room, lights);
        var occluded = AmbientOcclusion.Apply(room, SceneShading.Ao);

        var target = new Vector3(3.2f, 0.9f, 0.6f);
        var eye = new Vector3(0.5f, 1.5f, 3.6f);
        var d = Vector3.Normalize(target - eye);
        var camera = new RigidPose(eye, RigidPose.FromYawPitch(MathF.Atan2(-d.X, -d.Z), MathF.Asin(d.Y)));
        var renderer = new StereoRenderer(StereoRig.SimSin);
        var litRgb = renderer.Render(lit, camera).RgbLeft!;
        var aoRgb = renderer.Render(occluded, camera).RgbLeft!;

        var (w, h) = (StereoRig.SimSin.Width, StereoRig.SimSin.Height);
        using var sheet = new Mat(h, 2 * w, MatType.CV_8UC3);
        for (var y = 0; y < h; y++)
        for (var x = 0; x < w; x++)
        {
            var i = 3 * (y * w + x);
            sheet.Set(y, x, new Vec3b(aoRgb[i + 2], aoRgb[i + 1], aoRgb[i]));
            sheet.Set(y, w + x, new Vec3b(litRgb[i + 2], litRgb[i + 1], litRgb[i]));
        }
        Cv2.ImWrite(Path.Combine(Path.GetTempPath(), "distdepth-lit-room.png"), sheet);

        var luma = Enumerable.Range(0, w * h).Select(p => (0.2126f * litRgb[3 * p] + 0.7152f * litRgb[3 * p + 1] + 0.0722f * litRgb[3 * p + 2]) / 255).ToArray();
        var clipped = Enumerable.Range(0, litRgb.Length).Count(i => litRgb[i] == 255) / (float)litRgb.Length;
        output.WriteLine($"mean luminance {luma.Average():F3}, {clipped:P1} of channels clipped, {luma.Count(l => l < 0.08f) / (float)luma.Length:P1} of pixels under 0.08");
        // A photo exposed for the room: mid-grey on average, no crushed half; what clips is the ceiling
        // around the bare lights (about 12 % of channels here), as in a phone photo of a lit room.
        Assert.InRange(luma.Average(), 0.25f, 0.6f);
        Assert.True(clipped < 0.15f, $"{clipped:P1} of channels clipped");
        Assert.True(luma.Count(l => l < 0.08f) < luma.Length / 10, "over a tenth of the frame is near black");
    }

    /// <summary>Walls, floor and ceiling wound to face into the room (AO and the lights light the side
    /// the winding faces), split into 0.3 m cells so the light falloff has vertices to show on.</summary>
    private static SceneMesh Room(Random rng)
    {
        var b = new MeshBuilder { MaxCellSize = 0.3f };
        int M(Surface s) => b.AddMaterial(new Material(Vector3.One, SurfaceMaterials.Create(s, rng)));
        var (wall, floor, ceiling) = (M(Surface.PaintedPlaster), M(Surface.WoodFloor), M(Surface.CeilingPlaster));
        var one = Vector3.One;
        b.AddQuad(new(0, 0, Depth), new(Width, 0, Depth), new(Width, 0, 0), new(0, 0, 0), floor, one, 1.2f);
        b.AddQuad(new(0, Height, 0), new(Width, Height, 0), new(Width, Height, Depth), new(0, Height, Depth), ceiling, one, 2f);
        b.AddQuad(new(0, 0, 0), new(Width, 0, 0), new(Width, Height, 0), new(0, Height, 0), wall, one, 2f);
        b.AddQuad(new(Width, 0, Depth), new(0, 0, Depth), new(0, Height, Depth), new(Width, Height, Depth), wall, one, 2f);
        b.AddQuad(new(0, 0, Depth), new(0, 0, 0), new(0, Height, 0), new(0, Height, Depth), wall, one, 2f);
        b.AddQuad(new(Width, 0, 0), new(Width, 0, Depth), new(Width, Height, Depth), new(Width, Height, 0), wall, one, 2f);

        var wood = M(Surface.WoodFurniture);
        b.AddBox(new(1.5f, 0.72f, 1.5f), new(2.7f, 0.76f, 2.3f), wood, one, 0.6f);
        foreach (var (x, z) in new[] { (1.55f, 1.55f), (2.6f, 1.55f), (1.55f, 2.2f), (2.6f, 2.2f) })
            b.AddBox(new(x, 0, z), new(x + 0.05f, 0.72f, z + 0.05f), wood, one, 0.6f);
        var fabric = M(Surface.Fabric);
        b.AddBox(new(4.1f, 0, 1f), new(4.95f, 0.45f, 3f), fabric, one, 0.4f);
        b.AddBox(new(4.75f, 0.45f, 1f), new(4.95f, 0.85f, 3f), fabric, one, 0.4f);
        // Pictures: UVs 0-1 once over a square. The face must be wound toward the room, as the light is
        // taken on the side AO measures from; a face normal of (b - a) x (d - a) toward the viewer with
        // v growing from a to d down the picture means u runs right to left, so the poster is mirrored.
        b.AddQuad(new(1f, 0.005f, 3f), new(3f, 0.005f, 3f), new(3f, 0.005f, 1f), new(1f, 0.005f, 1f), M(Surface.Rug), one, 2f);
        b.AddQuad(new(2.9f, 2f, 0.01f), new(2f, 2f, 0.01f), new(2f, 1.1f, 0.01f), new(2.9f, 1.1f, 0.01f), M(Surface.Poster), one, 0.9f);
        b.AddCylinder(new(0.5f, 0, 0.5f), 0.18f, 0.35f, 16, M(Surface.Ceramic), one);
        b.AddBox(new(0.25f, 0.35f, 0.25f), new(0.75f, 1.2f, 0.75f), M(Surface.Leaves), one, 0.5f);
        // Flush fittings; their lights hang 0.3 m below, about two voxels clear of the ceiling so that
        // rays to the ceiling around them are not blocked by the ceiling's own voxels.
        var fitting = M(Surface.Plastic);
        foreach (var x in new[] { 1.6f, 3.6f }) b.AddCylinder(new(x, Height - 0.06f, 2f), 0.15f, 0.06f, 12, fitting, one);
        return b.Build();
    }
}

using System.Numerics;
using DistDepth.SimServer.Geometry;
using DistDepth.SimServer.Rendering;
using DistDepth.SimServer.Scenes;

namespace DistDepth.SimServer.Tests;

/// <summary>Issue 15, point 6: ambient occlusion baked per vertex; --shading flat is today's mesh, untouched.</summary>
public sealed class ShadingTests
{
    [Fact]
    public void Flat_shading_leaves_the_scene_exactly_as_it_was()
    {
        var flat = new SceneCatalog(null, shading: SceneShading.Flat).Load("procedural-v1:1").Mesh;
        var reference = ProceduralLayout.Generate(1);
        Assert.Equal(reference.Colors, flat.Colors);
        Assert.Equal(reference.Positions, flat.Positions);
        Assert.Same(flat, AmbientOcclusion.Apply(flat, SceneShading.Flat));
    }

    [Fact]
    public void Ambient_occlusion_darkens_corners_and_leaves_open_floor_lit()
    {
        // A 4 x 4 m room, 2.5 m high, floor finely split so it has vertices in the corner and the middle.
        var b = new MeshBuilder { MaxCellSize = 0.25f };
        var white = b.AddMaterial(new Material(Vector3.One, null));
        b.AddQuad(new(0, 0, 4), new(4, 0, 4), new(4, 0, 0), new(0, 0, 0), white, Vector3.One);
        b.AddQuad(new(0, 0, 0), new(4, 0, 0), new(4, 2.5f, 0), new(0, 2.5f, 0), white, Vector3.One);
        b.AddQuad(new(0, 0, 4), new(0, 0, 0), new(0, 2.5f, 0), new(0, 2.5f, 4), white, Vector3.One);
        var room = b.Build();
        var shaded = AmbientOcclusion.Apply(room, SceneShading.Ao);
        float At(Vector3 p)
        {
            var i = Enumerable.Range(0, room.Positions.Length).Where(k => room.Positions[k].Y == 0)
                .MinBy(k => Vector3.Distance(room.Positions[k], p));
            return shaded.Colors[i].X;
        }
        var corner = At(new Vector3(0.25f, 0, 0.25f));
        var middle = At(new Vector3(2.5f, 0, 2.5f));
        Assert.InRange(middle, 0.95f, 1f);
        Assert.True(corner < 0.8f * middle, $"corner {corner}, middle {middle}");
        Assert.Equal(room.Positions, shaded.Positions);
        Assert.Equal(AmbientOcclusion.Apply(room, SceneShading.Ao).Colors, shaded.Colors); // deterministic
    }

    [Fact]
    public void Unknown_shading_is_refused_by_name()
    {
        var e = Assert.Throws<ArgumentException>(() => AmbientOcclusion.Parse("phong"));
        Assert.Contains("--shading 'phong'", e.Message);
    }
}

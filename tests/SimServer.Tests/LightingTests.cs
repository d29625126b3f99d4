using System.Diagnostics;
using System.Numerics;
using DistDepth.SimServer.Geometry;
using DistDepth.SimServer.Rendering;
using DistDepth.SimServer.Scenes;
using Xunit.Abstractions;

namespace DistDepth.SimServer.Tests;

/// <summary>Issue 19: the generator's lights baked into the vertex colours with the ambient occlusion.</summary>
public sealed class LightingTests(ITestOutputHelper output)
{
    private static readonly Vector3 WarmWhite = new(1f, 0.92f, 0.8f);

    [Fact]
    public void A_light_brightens_the_floor_under_it_more_than_the_far_corner()
    {
        var room = Floor(6, 6);
        var lit = LightBake.Apply(room, [new SceneLight(new Vector3(1.5f, 2.4f, 1.5f), Vector3.One, 4f, 0.3f)]);
        var under = lit.Colors[Nearest(room, new Vector3(1.5f, 0, 1.5f))].X;
        var far = lit.Colors[Nearest(room, new Vector3(5.5f, 0, 5.5f))].X;
        Assert.InRange(under, 0.85f, 1.1f);
        Assert.InRange(far, LightBake.Ambient, 0.5f);
        Assert.True(under > 2 * far, $"under {under}, far {far}");
    }

    [Fact]
    public void A_table_between_a_light_and_the_floor_casts_a_shadow()
    {
        // A light over the middle of a 6 x 6 m floor; a table top 1 m to one side; the floor point under
        // the table and its mirror image are the same distance from the light.
        var b = new MeshBuilder { MaxCellSize = 0.25f };
        var white = b.AddMaterial(new Material(Vector3.One, null));
        b.AddQuad(new(0, 0, 6), new(6, 0, 6), new(6, 0, 0), new(0, 0, 0), white, Vector3.One);
        b.AddBox(new Vector3(1.4f, 0.7f, 2.4f), new Vector3(2.6f, 0.75f, 3.6f), white, Vector3.One);
        var room = b.Build();
        var lit = LightBake.Apply(room, [new SceneLight(new Vector3(3, 2.5f, 3), Vector3.One, 4f, 0.3f)]);
        var occluded = AmbientOcclusion.Apply(room, SceneShading.Ao);
        // Dividing by the occlusion leaves Ambient + direct light: the shadow shows in the direct part.
        float Received(Vector3 p) => lit.Colors[Nearest(room, p)].X / occluded.Colors[Nearest(room, p)].X;
        var shadowed = Received(new Vector3(2, 0, 3)) - LightBake.Ambient;
        var open = Received(new Vector3(4, 0, 3)) - LightBake.Ambient;
        Assert.True(open > 0.3f, $"open {open}");
        Assert.True(shadowed < 0.1f * open, $"shadowed {shadowed}, open {open}");
    }

    [Fact]
    public void A_surface_facing_away_from_a_light_gets_only_the_ambient_term()
    {
        var room = Floor(4, 4);
        var lit = LightBake.Apply(room, [new SceneLight(new Vector3(2, -1, 2), Vector3.One, 4f, 0.3f)]);
        var occluded = AmbientOcclusion.Apply(room, SceneShading.Ao);
        for (var i = 0; i < room.Positions.Length; i++)
            Assert.Equal(occluded.Colors[i].X * LightBake.Ambient, lit.Colors[i].X, 5);
    }

    [Fact]
    public void Without_lights_the_bake_is_the_ambient_occlusion_scaled_by_the_ambient_level()
    {
        var mesh = ProceduralLayout.Generate(3, 0.5f);
        var ao = AmbientOcclusion.Apply(mesh, SceneShading.Ao);
        var lit = LightBake.Apply(mesh, []);
        for (var i = 0; i < mesh.Positions.Length; i++)
        {
            Assert.Equal(ao.Colors[i].X * LightBake.Ambient, lit.Colors[i].X, 6);
            Assert.Equal(ao.Colors[i].Z * LightBake.Ambient, lit.Colors[i].Z, 6);
        }
        Assert.Equal(ao.Colors, AmbientOcclusion.Apply(mesh, SceneShading.Lit).Colors);
        Assert.Equal(SceneShading.Lit, AmbientOcclusion.Parse(" Lit "));
    }

    [Fact]
    public void Baking_a_40k_triangle_scene_with_three_lights_is_deterministic_and_reports_its_cost()
    {
        var clock = Stopwatch.StartNew();
        var mesh = ProceduralLayout.Generate(11, 0.13f);
        var generateMs = clock.ElapsedMilliseconds;
        var lights = Enumerable.Range(0, 3).Select(i => new SceneLight(
            Vector3.Lerp(mesh.BoundsMin, mesh.BoundsMax, (i + 0.5f) / 3) with { Y = mesh.BoundsMax.Y - 0.2f }, WarmWhite, 4f, 0.3f)).ToArray();
        // The fastest of three: this machine's cores are shared, and the first run includes compiling the bake.
        long Fastest(Func<SceneMesh> bake) => Enumerable.Range(0, 3).Min(_ =>
        {
            clock.Restart();
            bake();
            return clock.ElapsedMilliseconds;
        });
        var aoMs = Fastest(() => AmbientOcclusion.Apply(mesh, SceneShading.Ao));
        var litMs = Fastest(() => LightBake.Apply(mesh, lights));
        output.WriteLine($"{mesh.TriangleCount} triangles, {mesh.Positions.Length} vertices: generate {generateMs} ms, AO {aoMs} ms, AO + 3 lights {litMs} ms");
        var lit = LightBake.Apply(mesh, lights);
        var values = lit.Colors.Select(c => c.X).Order().ToArray();
        output.WriteLine($"red channel percentiles 5/50/95: {values[values.Length / 20]:F2} {values[values.Length / 2]:F2} {values[values.Length * 19 / 20]:F2}");
        Assert.Equal(lit.Colors, LightBake.Apply(mesh, lights).Colors);
    }

    private static SceneMesh Floor(float width, float depth)
    {
        var b = new MeshBuilder { MaxCellSize = 0.25f };
        var white = b.AddMaterial(new Material(Vector3.One, null));
        b.AddQuad(new(0, 0, depth), new(width, 0, depth), new(width, 0, 0), new(0, 0, 0), white, Vector3.One);
        return b.Build();
    }

    private static int Nearest(SceneMesh mesh, Vector3 p) =>
        Enumerable.Range(0, mesh.Positions.Length).MinBy(k => Vector3.DistanceSquared(mesh.Positions[k], p));
}

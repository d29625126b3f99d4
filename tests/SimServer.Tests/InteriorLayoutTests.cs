using System.Numerics;
using DistDepth.SimServer.Geometry;
using DistDepth.SimServer.Navigation;
using DistDepth.SimServer.Scenes;
using Xunit.Abstractions;

namespace DistDepth.SimServer.Tests;

/// <summary>The furnished-flat generator: reproducible, walkable from room to room, open to the void on
/// one side, lit by its fittings, and within its triangle budget.</summary>
public sealed class InteriorLayoutTests(ITestOutputHelper log)
{
    private const float CameraHeightM = 1.5f;

    public static TheoryData<ulong> Seeds() => [.. Enumerable.Range(0, 30).Select(s => (ulong)s)];

    [Fact]
    public void The_same_seed_gives_the_same_mesh_and_lights_and_another_seed_does_not()
    {
        var a = InteriorLayout.Generate(7);
        var b = InteriorLayout.Generate(7);
        var c = InteriorLayout.Generate(8);
        Assert.Equal(a.Mesh.Positions, b.Mesh.Positions);
        Assert.Equal(a.Mesh.Colors, b.Mesh.Colors);
        Assert.Equal(a.Mesh.Uvs!, b.Mesh.Uvs!);
        Assert.Equal(a.Mesh.Indices, b.Mesh.Indices);
        Assert.Equal(a.Mesh.TriangleMaterials!, b.Mesh.TriangleMaterials!);
        Assert.Equal(a.Mesh.Materials.Select(m => m.BaseColor), b.Mesh.Materials.Select(m => m.BaseColor));
        Assert.Equal(a.Mesh.Materials.Select(m => m.Texture!.Data.ToArray()), b.Mesh.Materials.Select(m => m.Texture!.Data.ToArray()));
        Assert.Equal(a.Lights, b.Lights);
        Assert.NotEqual(a.Mesh.Positions, c.Mesh.Positions);
        Assert.NotEqual(a.Lights, c.Lights);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Every_room_reaches_one_walkable_island_that_holds_most_of_the_floor(ulong seed)
    {
        var mesh = InteriorLayout.Generate(seed).Mesh;
        var plan = InteriorLayout.Plan(seed);
        var grid = NavGrid.Build(mesh);
        log.WriteLine($"procedural:{seed}: {plan.Rooms.Count} rooms ({string.Join(", ", plan.Rooms.Select(r => r.Type))}), " +
                      $"navigable {grid.NavigableArea:F1} m², largest island {grid.LargestIslandArea:F1} m²");
        Assert.True(grid.LargestIslandArea >= 8f, $"largest island {grid.LargestIslandArea:F1} m²");
        Assert.True(grid.LargestIslandArea >= 0.9f * grid.NavigableArea, $"largest island {grid.LargestIslandArea:F1} of {grid.NavigableArea:F1} m²");
        var island = grid.IslandOf(grid.CellOf(grid.SamplePoint(new Random(1))!.Value));
        foreach (var room in plan.Rooms)
            Assert.True(ReachesIsland(grid, room.Main.Center, island), $"the middle of the {room.Type} (room {room.Index}) is off the largest island");
    }

    /// <summary>Some cell of <paramref name="island"/> within 1.2 m of <paramref name="p"/>: a table may stand on the point itself.</summary>
    private static bool ReachesIsland(NavGrid grid, Vector2 p, int island)
    {
        const float reachM = 1.2f;
        for (var dz = -reachM; dz <= reachM; dz += grid.CellSize)
        for (var dx = -reachM; dx <= reachM; dx += grid.CellSize)
            if (dx * dx + dz * dz <= reachM * reachM && grid.IslandOf(grid.CellOf(new Vector3(p.X + dx, grid.FloorY, p.Y + dz))) == island)
                return true;
        return false;
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void A_horizontal_ray_from_walkable_floor_leaves_through_the_gap(ulong seed)
    {
        var mesh = InteriorLayout.Generate(seed).Mesh;
        var grid = NavGrid.Build(mesh);
        var gapWall = Assert.Single(InteriorLayout.Plan(seed).Walls, w => w.Openings.Any(o => o.Kind == OpeningKind.Gap));
        var gap = Assert.Single(gapWall.Openings, o => o.Kind == OpeningKind.Gap);
        Assert.True(gap.Width >= 1.1f, $"the gap is {gap.Width:F2} m wide");
        var inside = gapWall.Below >= 0 ? -1 : 1;
        var start = gapWall.Point(gap.Center, inside * 1f);
        var cell = grid.Snap(new Vector3(start.X, grid.FloorY, start.Y), 0.5f);
        Assert.True(cell >= 0, "no walkable floor within 0.5 m of a point 1 m inside the gap");
        var outward = -gapWall.Normal(inside);
        var distance = mesh.Raycast(grid.CenterOf(cell) + new Vector3(0, CameraHeightM, 0), new Vector3(outward.X, 0, outward.Y));
        Assert.True(float.IsPositiveInfinity(distance), $"the ray out of the gap hits geometry at {distance:F2} m");
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(4UL)]
    [InlineData(21UL)]
    public void The_planner_gives_every_trajectory_kind(ulong seed)
    {
        var mesh = InteriorLayout.Generate(seed).Mesh;
        var grid = NavGrid.Build(mesh);
        var planner = new TrajectoryPlanner(mesh, grid, CameraHeightM);
        List<TrajectoryFrame> Plan(TrajectoryKind kind, int frames) => planner.Plan(new TrajectorySettings(kind, 3, frames)).ToList();
        Vector3 Eye(TrajectoryFrame f) => f.Agent.Position + new Vector3(0, CameraHeightM, 0);

        var walk = Plan(TrajectoryKind.Navigate, 40);
        Assert.DoesNotContain(walk, f => f.Agent.Collided);
        Assert.True(Vector3.Distance(walk[0].Agent.Position, walk[^1].Agent.Position) > 0.5f, "the agent did not move");
        Assert.True(Plan(TrajectoryKind.WalkIntoWall, 60)[^1].Agent.Collided, "pushing into a wall should end in collisions");
        var stare = Plan(TrajectoryKind.StareAtWall, 3)[^1];
        Assert.InRange(mesh.Raycast(Eye(stare), stare.Agent.Heading), 0.01f, 0.3f);
        var look = Plan(TrajectoryKind.LookIntoVoid, 5);
        Assert.Contains(look, f => float.IsPositiveInfinity(mesh.Raycast(Eye(f), f.Agent.Heading)));
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Ceiling_lights_hang_just_below_the_ceiling_inside_their_rooms(ulong seed)
    {
        var scene = InteriorLayout.Generate(seed);
        var plan = InteriorLayout.Plan(seed);
        var ceilingLights = scene.Lights.Where(l => l.Position.Y > plan.CeilingHeight - 0.5f).ToList();
        Assert.Equal(plan.Rooms.Sum(r => r.Cells.Count), ceilingLights.Count);
        foreach (var light in ceilingLights)
        {
            Assert.InRange(light.Position.Y, plan.CeilingHeight - 0.3f, plan.CeilingHeight - 0.05f);
            Assert.Contains(plan.Rooms.SelectMany(r => r.Cells), c => c.Inset(0.5f).Contains(new Vector2(light.Position.X, light.Position.Z)));
            Assert.True(light.Intensity > 0 && light.Radius > 0);
        }
        Assert.All(scene.Lights, l => Assert.True(l.Position.Y > 0 && l.Position.Y < plan.CeilingHeight && l.Position.X > scene.Mesh.BoundsMin.X && l.Position.X < scene.Mesh.BoundsMax.X));
    }

    /// <summary>Enough triangles for furniture detail and ~0.5 m cells on walls, floors and ceilings (per-vertex
    /// light), few enough that a frame stays affordable: the rasterizer draws every triangle in view, even
    /// those behind walls.</summary>
    [Fact]
    public void Triangle_counts_stay_within_budget()
    {
        var counts = Enumerable.Range(0, 20).Select(s => InteriorLayout.Generate((ulong)s).Mesh.TriangleCount).ToList();
        log.WriteLine($"triangles, seeds 0-19: {string.Join(", ", counts)}");
        Assert.All(counts, n => Assert.InRange(n, 3_000, 25_000));
    }
}

using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Scenes;

/// <summary>
/// Seeded furnished flats (scene id "procedural:&lt;seed&gt;"): 2-5 rooms of several types on a floor plan
/// with L-shaped rooms, corridors, doorways (some with open doors), windows with a bright view behind
/// them, ceiling lights and lamps, and furniture placed the way people furnish. One gap in an outer wall,
/// a doorway without a door, lets a horizontal ray leave the building (the LookIntoVoid trajectory needs one),
/// and every room stays reachable on foot. The same seed gives the same mesh and lights, vertex for vertex.
/// </summary>
public static class InteriorLayout
{
    /// <summary>Random streams: the plan and furniture draw from one, materials from another, so that
    /// textures drawing more or fewer numbers leave the geometry alone.</summary>
    private const int MaterialStream = 0x6d617473;

    public static ProceduralScene Generate(ulong seed)
    {
        var rng = Seeded.Random(seed);
        var plan = FloorPlanner.Generate(rng);
        var builder = new MeshBuilder { SingleSided = true }; // every piece is wound outward (InteriorLayoutTests)
        var palette = new Palette(builder, Seeded.Random(seed, MaterialStream));
        var lights = new List<SceneLight>();
        new InteriorShell(builder, palette, rng, plan).Build();
        new ShellFittings(builder, palette, rng, plan).Build(lights);
        var furnishing = new Furnishing(plan, new Furniture(builder, palette, rng, lights), rng);
        foreach (var room in plan.Rooms) furnishing.Furnish(room);
        var mesh = builder.Build();
        return new ProceduralScene(mesh.WithCells(PlanVisibility.For(plan, mesh)), lights);
    }

    /// <summary>The floor plan <see cref="Generate"/> builds for <paramref name="seed"/>: its rooms (with their
    /// types and cells), walls and openings.</summary>
    public static FloorPlan Plan(ulong seed) => FloorPlanner.Generate(Seeded.Random(seed));
}

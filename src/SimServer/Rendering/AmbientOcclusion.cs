using System.Numerics;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Rendering;

/// <summary>How surfaces are lit: <see cref="Ao"/> darkens corners, floors under furniture and the
/// insides of shelves, as in a photo; <see cref="Flat"/> is the sun-plus-ambient term alone, the
/// output Blender comparisons were made against; <see cref="Lit"/> adds the generator's own lights
/// (<see cref="LightBake"/>) to the occlusion.</summary>
public enum SceneShading
{
    Ao,
    Flat,
    Lit,
}

/// <summary>
/// Ambient occlusion baked into the vertex colours once, at scene load, so rendering costs nothing
/// more: from each vertex, a fixed set of hemisphere rays marches through a voxel occupancy grid of
/// the mesh for up to <see cref="ReachM"/>; the share blocked darkens the vertex. The same per-vertex
/// pass carries <see cref="LightBake"/>'s lights.
/// </summary>
public static class AmbientOcclusion
{
    private const float ReachM = 0.8f;
    private const float Strength = 0.7f;
    private static readonly Vector3[] Directions = HemisphereDirections(24);

    /// <summary>What a vertex receives, given its position, the normal of the side its occlusion was
    /// measured from and its occlusion factor (1 open, 1 - Strength fully occluded); multiplies its colour.</summary>
    internal delegate Vector3 VertexLight(Vector3 position, Vector3 side, float occlusion);

    public static SceneShading Parse(string? shading) => shading?.Trim().ToLowerInvariant() switch
    {
        null or "" or "lit" => SceneShading.Lit,
        "ao" => SceneShading.Ao,
        "flat" => SceneShading.Flat,
        _ => throw new ArgumentException($"--shading '{shading}' is not ao, lit or flat"),
    };

    /// <summary>The mesh itself for <see cref="SceneShading.Flat"/> (bit-exact output); a copy with
    /// occluded vertex colours otherwise. A mesh on its own has no lights, so <see cref="SceneShading.Lit"/>
    /// is the occlusion alone here; generated interiors bring theirs to <see cref="LightBake.Apply"/>.</summary>
    public static SceneMesh Apply(SceneMesh mesh, SceneShading shading) =>
        shading == SceneShading.Flat ? mesh : Bake(mesh, Grid(mesh), (_, _, occlusion) => new Vector3(occlusion));

    /// <summary>The occupancy grid the occlusion rays march through, with room for them past the mesh's bounds.</summary>
    internal static VoxelGrid Grid(SceneMesh mesh) => VoxelGrid.Of(mesh, ReachM);

    /// <summary>A copy of <paramref name="mesh"/> whose vertex colours are multiplied by <paramref name="light"/>.</summary>
    internal static SceneMesh Bake(SceneMesh mesh, VoxelGrid grid, VertexLight light)
    {
        var normals = new Vector3[mesh.Positions.Length];
        var emits = new bool[mesh.Positions.Length];
        for (var t = 0; t < mesh.TriangleCount; t++)
        for (var k = 0; k < 3; k++)
        {
            normals[mesh.Indices[3 * t + k]] += mesh.FaceNormals[t];
            emits[mesh.Indices[3 * t + k]] |= mesh.IsEmissive(t);
        }
        var colors = new Vector3[mesh.Positions.Length];
        Parallel.For(0, colors.Length, i =>
        {
            if (emits[i])
            {
                colors[i] = mesh.Colors[i]; // a light source: neither occluded nor lit
                return;
            }
            var n = normals[i].LengthSquared() > 0 ? Vector3.Normalize(normals[i]) : Vector3.UnitY;
            var (occlusion, side) = Occlusion(grid, mesh.Positions[i], n);
            colors[i] = mesh.Colors[i] * light(mesh.Positions[i], side * n, 1 - Strength * occlusion);
        });
        return new SceneMesh(mesh.Positions, colors, mesh.Uvs, mesh.Indices, mesh.TriangleMaterials, mesh.Materials, mesh.SingleSided) { Cells = mesh.Cells };
    }

    /// <summary>Share of hemisphere rays blocked, and the side (+1 front, -1 back) it was measured on.
    /// The front side is used (glTF's and Replica's winding face the room), unless it is blocked almost
    /// everywhere: that means a flipped face, inside a thin wall, and the back side is used.</summary>
    private static (float Blocked, float Side) Occlusion(VoxelGrid grid, Vector3 p, Vector3 n)
    {
        var (t, b) = Basis(n);
        float Side(float sign)
        {
            var blocked = 0;
            // Start one cell off the surface so its own voxels do not count.
            var origin = p + sign * n * (1.5f * grid.Cell);
            foreach (var d in Directions)
                if (grid.Hits(origin, sign * (d.X * t + d.Y * b + d.Z * n), ReachM, 0.5f)) blocked++;
            return (float)blocked / Directions.Length;
        }
        var front = Side(1);
        if (front <= 0.9f) return (front, 1);
        var back = Side(-1);
        return back < front ? (back, -1) : (front, 1);
    }

    /// <summary>Two unit vectors that make a right-handed frame with the unit <paramref name="n"/>.</summary>
    internal static (Vector3 T, Vector3 B) Basis(Vector3 n)
    {
        var a = MathF.Abs(n.X) < 0.9f ? Vector3.UnitX : Vector3.UnitY;
        var t = Vector3.Normalize(Vector3.Cross(n, a));
        return (t, Vector3.Cross(n, t));
    }

    /// <summary>Cosine-weighted directions on a golden spiral (z = up): deterministic, evenly spread.
    /// Their x and y alone spread evenly over the unit disc, which <see cref="LightBake"/> samples lights with.</summary>
    internal static Vector3[] HemisphereDirections(int count) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var r = MathF.Sqrt((i + 0.5f) / count);
            var phi = i * MathF.PI * (3 - MathF.Sqrt(5));
            return new Vector3(r * MathF.Cos(phi), r * MathF.Sin(phi), MathF.Sqrt(1 - r * r));
        }).ToArray();
}

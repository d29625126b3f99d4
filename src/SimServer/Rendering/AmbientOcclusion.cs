using System.Numerics;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Rendering;

/// <summary>How surfaces are lit: <see cref="Ao"/> darkens corners, floors under furniture and the
/// insides of shelves, as in a photo; <see cref="Flat"/> is the sun-plus-ambient term alone, the
/// output Blender comparisons were made against.</summary>
public enum SceneShading
{
    Ao,
    Flat,
}

/// <summary>
/// Ambient occlusion baked into the vertex colours once, at scene load, so rendering costs nothing
/// more: from each vertex, a fixed set of hemisphere rays marches through a voxel occupancy grid of
/// the mesh for up to <see cref="ReachM"/>; the share blocked darkens the vertex.
/// </summary>
public static class AmbientOcclusion
{
    private const float ReachM = 0.8f;
    private const float Strength = 0.7f;
    private const int MaxCells = 1 << 21;
    private static readonly Vector3[] Directions = HemisphereDirections(24);

    public static SceneShading Parse(string? shading) => shading?.Trim().ToLowerInvariant() switch
    {
        null or "" or "ao" => SceneShading.Ao,
        "flat" => SceneShading.Flat,
        _ => throw new ArgumentException($"--shading '{shading}' is not ao or flat"),
    };

    /// <summary>The mesh itself for <see cref="SceneShading.Flat"/> (bit-exact output); a copy with
    /// occluded vertex colours for <see cref="SceneShading.Ao"/>.</summary>
    public static SceneMesh Apply(SceneMesh mesh, SceneShading shading) => shading == SceneShading.Flat ? mesh : Bake(mesh);

    private static SceneMesh Bake(SceneMesh mesh)
    {
        var size = mesh.BoundsMax - mesh.BoundsMin + new Vector3(2 * ReachM);
        // At most MaxCells voxels and 1024 along any side, which also bounds the samples per triangle.
        // 10 cm voxels: fine enough for an 0.8 m reach, coarse enough that the bake stays a small part of loading.
        var cell = MathF.Max(0.1f, MathF.Max(MathF.Cbrt(size.X * size.Y * size.Z / MaxCells), MathF.Max(size.X, MathF.Max(size.Y, size.Z)) / 1024));
        var grid = new VoxelGrid(mesh.BoundsMin - new Vector3(ReachM), cell, size);
        for (var t = 0; t < mesh.TriangleCount; t++) grid.Fill(mesh.Triangle(t));

        var normals = new Vector3[mesh.Positions.Length];
        for (var t = 0; t < mesh.TriangleCount; t++)
        for (var k = 0; k < 3; k++)
            normals[mesh.Indices[3 * t + k]] += mesh.FaceNormals[t];
        var colors = new Vector3[mesh.Positions.Length];
        Parallel.For(0, colors.Length, i =>
        {
            var n = normals[i].LengthSquared() > 0 ? Vector3.Normalize(normals[i]) : Vector3.UnitY;
            colors[i] = mesh.Colors[i] * (1 - Strength * Occlusion(grid, mesh.Positions[i], n));
        });
        return new SceneMesh(mesh.Positions, colors, mesh.Uvs, mesh.Indices, mesh.TriangleMaterials, mesh.Materials);
    }

    /// <summary>Share of hemisphere rays blocked on the front side (glTF's and Replica's winding face
    /// the room). A front side blocked almost everywhere means a flipped face, inside a thin wall:
    /// then the back side is used.</summary>
    private static float Occlusion(VoxelGrid grid, Vector3 p, Vector3 n)
    {
        var (t, b) = Basis(n);
        float Side(float sign)
        {
            var blocked = 0;
            // Start one cell off the surface so its own voxels do not count.
            var origin = p + sign * n * (1.5f * grid.Cell);
            foreach (var d in Directions)
                if (grid.Hits(origin, sign * (d.X * t + d.Y * b + d.Z * n), ReachM)) blocked++;
            return (float)blocked / Directions.Length;
        }
        var front = Side(1);
        return front > 0.9f ? MathF.Min(front, Side(-1)) : front;
    }

    private static (Vector3, Vector3) Basis(Vector3 n)
    {
        var a = MathF.Abs(n.X) < 0.9f ? Vector3.UnitX : Vector3.UnitY;
        var t = Vector3.Normalize(Vector3.Cross(n, a));
        return (t, Vector3.Cross(n, t));
    }

    /// <summary>Cosine-weighted directions on a golden spiral (z = up): deterministic, evenly spread.</summary>
    private static Vector3[] HemisphereDirections(int count) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var r = MathF.Sqrt((i + 0.5f) / count);
            var phi = i * MathF.PI * (3 - MathF.Sqrt(5));
            return new Vector3(r * MathF.Cos(phi), r * MathF.Sin(phi), MathF.Sqrt(1 - r * r));
        }).ToArray();

    private sealed class VoxelGrid(Vector3 origin, float cell, Vector3 size)
    {
        private readonly int _nx = (int)(size.X / cell) + 1, _ny = (int)(size.Y / cell) + 1, _nz = (int)(size.Z / cell) + 1;
        private readonly bool[] _solid = new bool[((int)(size.X / cell) + 1) * ((int)(size.Y / cell) + 1) * ((int)(size.Z / cell) + 1)];

        public float Cell => cell;

        public void Fill((Vector3 A, Vector3 B, Vector3 C) tri)
        {
            var (a, b, c) = tri;
            var longest = MathF.Max((b - a).Length(), MathF.Max((c - b).Length(), (a - c).Length()));
            var n = Math.Max(1, (int)MathF.Ceiling(longest / cell));
            for (var i = 0; i <= n; i++)
            for (var j = 0; i + j <= n; j++)
                if (Index(a + (b - a) * ((float)i / n) + (c - a) * ((float)j / n)) is var k and >= 0) _solid[k] = true;
        }

        public bool Hits(Vector3 origin, Vector3 direction, float reach)
        {
            for (var s = 0f; s <= reach; s += cell * 0.5f)
                if (Index(origin + direction * s) is var k and >= 0 && _solid[k]) return true;
            return false;
        }

        private int Index(Vector3 p)
        {
            var q = (p - origin) / cell;
            int x = (int)q.X, y = (int)q.Y, z = (int)q.Z;
            return q.X >= 0 && q.Y >= 0 && q.Z >= 0 && x < _nx && y < _ny && z < _nz ? (z * _ny + y) * _nx + x : -1;
        }
    }
}

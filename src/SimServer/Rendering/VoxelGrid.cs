using System.Numerics;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Rendering;

/// <summary>Which cells of a regular grid over the mesh (plus a margin) a triangle passes through: the
/// occluders that the baked lighting's rays (<see cref="AmbientOcclusion"/>, <see cref="LightBake"/>) march through.</summary>
internal sealed class VoxelGrid
{
    private const int MaxCells = 1 << 21;
    private readonly Vector3 _origin;
    private readonly int _nx, _ny, _nz;
    private readonly bool[] _solid;

    private VoxelGrid(Vector3 origin, float cell, Vector3 size)
    {
        _origin = origin;
        Cell = cell;
        (_nx, _ny, _nz) = ((int)(size.X / cell) + 1, (int)(size.Y / cell) + 1, (int)(size.Z / cell) + 1);
        _solid = new bool[_nx * _ny * _nz];
    }

    public float Cell { get; }

    /// <summary>The grid of <paramref name="mesh"/>'s bounds grown by <paramref name="marginM"/> on every side.</summary>
    public static VoxelGrid Of(SceneMesh mesh, float marginM)
    {
        var size = mesh.BoundsMax - mesh.BoundsMin + new Vector3(2 * marginM);
        // At most MaxCells voxels and 1024 along any side, which also bounds the samples per triangle.
        // 10 cm voxels: fine enough for an 0.8 m AO reach, coarse enough that the bake stays a small part of loading.
        var cell = MathF.Max(0.1f, MathF.Max(MathF.Cbrt(size.X * size.Y * size.Z / MaxCells), MathF.Max(size.X, MathF.Max(size.Y, size.Z)) / 1024));
        var grid = new VoxelGrid(mesh.BoundsMin - new Vector3(marginM), cell, size);
        for (var t = 0; t < mesh.TriangleCount; t++) grid.Fill(mesh.Triangle(t));
        return grid;
    }

    /// <summary>Whether the ray from <paramref name="origin"/> along the unit <paramref name="direction"/>
    /// meets a filled cell within <paramref name="reach"/> metres, sampled every <paramref name="stepCells"/>
    /// cells. A whole cell still finds every wall, which fills at least a cell's thickness; half a cell
    /// also finds most cells that a ray only clips at a corner.</summary>
    public bool Hits(Vector3 origin, Vector3 direction, float reach, float stepCells)
    {
        for (var s = 0f; s <= reach; s += Cell * stepCells)
            if (Index(origin + direction * s) is var k and >= 0 && _solid[k]) return true;
        return false;
    }

    private void Fill((Vector3 A, Vector3 B, Vector3 C) tri)
    {
        var (a, b, c) = tri;
        var longest = MathF.Max((b - a).Length(), MathF.Max((c - b).Length(), (a - c).Length()));
        var n = Math.Max(1, (int)MathF.Ceiling(longest / Cell));
        for (var i = 0; i <= n; i++)
        for (var j = 0; i + j <= n; j++)
            if (Index(a + (b - a) * ((float)i / n) + (c - a) * ((float)j / n)) is var k and >= 0) _solid[k] = true;
    }

    private int Index(Vector3 p)
    {
        var q = (p - _origin) / Cell;
        int x = (int)q.X, y = (int)q.Y, z = (int)q.Z;
        return q.X >= 0 && q.Y >= 0 && q.Z >= 0 && x < _nx && y < _ny && z < _nz ? (z * _ny + y) * _nx + x : -1;
    }
}

using System.Numerics;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Navigation;

/// <summary>
/// Habitat's navmesh idea on a grid: a cell is navigable when it has floor at the scene's floor
/// level, no geometry between step height and head height, and no such obstacle (or missing floor)
/// within the agent's radius. Islands are labelled so sampling and paths stay on one connected floor.
/// </summary>
public sealed class NavGrid
{
    public const float AgentRadius = 0.2f;
    private const float StepHeight = 0.2f;
    private const float HeadHeight = 1.9f;
    private const int MaxCells = 1 << 20;

    private readonly bool[] _navigable;
    private readonly int[] _island;
    private readonly int _largestIsland;
    private readonly int[] _largestIslandCells;

    private NavGrid(Vector2 origin, float cellSize, int cols, int rows, float floorY, bool[] navigable)
    {
        Origin = origin;
        CellSize = cellSize;
        Cols = cols;
        Rows = rows;
        FloorY = floorY;
        _navigable = navigable;
        (_island, _largestIsland) = LabelIslands();
        // No island at all is -1, the label of every non-navigable cell: then there are no cells to offer.
        _largestIslandCells = _largestIsland < 0 ? [] : Enumerable.Range(0, _island.Length).Where(i => _island[i] == _largestIsland).ToArray();
    }

    public Vector2 Origin { get; }
    public float CellSize { get; }
    public int Cols { get; }
    public int Rows { get; }
    public float FloorY { get; }
    public float NavigableArea => _navigable.Count(n => n) * CellSize * CellSize;
    /// <summary>The walkable floor agents actually sample from and plan on.</summary>
    public float LargestIslandArea => _largestIslandCells.Length * CellSize * CellSize;

    public static NavGrid Build(SceneMesh mesh)
    {
        var floorY = FindFloorLevel(mesh);
        var min = new Vector2(mesh.BoundsMin.X, mesh.BoundsMin.Z);
        var size = new Vector2(mesh.BoundsMax.X, mesh.BoundsMax.Z) - min;
        var cell = MathF.Max(0.1f, MathF.Sqrt((size.X + 1) * (size.Y + 1) / MaxCells));
        int cols = (int)(size.X / cell) + 1, rows = (int)(size.Y / cell) + 1;
        var floor = new bool[cols * rows];
        var blocked = new bool[cols * rows];
        for (var t = 0; t < mesh.TriangleCount; t++)
        {
            var (a, b, c) = mesh.Triangle(t);
            var horizontal = MathF.Abs(mesh.FaceNormals[t].Y) > 0.9f;
            // Sample the triangle at half-cell spacing so vertical walls (a line in plan) hit every cell they cross.
            var longest = MathF.Max((b - a).Length(), MathF.Max((c - b).Length(), (a - c).Length()));
            var n = Math.Max(1, (int)MathF.Ceiling(longest / (cell * 0.5f)));
            for (var i = 0; i <= n; i++)
            for (var j = 0; i + j <= n; j++)
            {
                var p = a + (b - a) * ((float)i / n) + (c - a) * ((float)j / n);
                int cx = (int)((p.X - min.X) / cell), cz = (int)((p.Z - min.Y) / cell);
                if ((uint)cx >= (uint)cols || (uint)cz >= (uint)rows) continue;
                var h = p.Y - floorY;
                if (horizontal && MathF.Abs(h) < 0.1f) floor[cz * cols + cx] = true;
                else if (h > StepHeight && h < HeadHeight) blocked[cz * cols + cx] = true;
            }
        }
        return new NavGrid(min, cell, cols, rows, floorY, Erode(floor, blocked, cols, rows, (int)MathF.Ceiling(AgentRadius / cell)));
    }

    /// <summary>The lowest height holding a substantial share of the upward-facing area (ceilings and
    /// table tops are horizontal too, but above it).</summary>
    private static float FindFloorLevel(SceneMesh mesh)
    {
        const float bin = 0.05f;
        var area = new Dictionary<int, (float Area, float WeightedY)>();
        for (var t = 0; t < mesh.TriangleCount; t++)
        {
            if (MathF.Abs(mesh.FaceNormals[t].Y) <= 0.9f) continue;
            var (a, b, c) = mesh.Triangle(t);
            var triArea = Vector3.Cross(b - a, c - a).Length() / 2;
            var y = (a.Y + b.Y + c.Y) / 3;
            var key = (int)MathF.Floor(y / bin);
            var current = area.GetValueOrDefault(key);
            area[key] = (current.Area + triArea, current.WeightedY + triArea * y);
        }
        if (area.Count == 0) return mesh.BoundsMin.Y;
        var largest = area.Values.Max(v => v.Area);
        var floorBin = area.Where(kv => kv.Value.Area >= 0.25f * largest).MinBy(kv => kv.Key).Value;
        return floorBin.WeightedY / floorBin.Area;
    }

    private static bool[] Erode(bool[] floor, bool[] blocked, int cols, int rows, int radius)
    {
        var navigable = new bool[floor.Length];
        for (var z = 0; z < rows; z++)
        for (var x = 0; x < cols; x++)
        {
            var ok = true;
            for (var dz = -radius; dz <= radius && ok; dz++)
            for (var dx = -radius; dx <= radius && ok; dx++)
            {
                if (dx * dx + dz * dz > radius * radius) continue;
                int nx = x + dx, nz = z + dz;
                ok = (uint)nx < (uint)cols && (uint)nz < (uint)rows && floor[nz * cols + nx] && !blocked[nz * cols + nx];
            }
            navigable[z * cols + x] = ok;
        }
        return navigable;
    }

    private (int[] Island, int Largest) LabelIslands()
    {
        var island = new int[_navigable.Length];
        Array.Fill(island, -1);
        var sizes = new List<int>();
        var queue = new Queue<int>();
        for (var start = 0; start < island.Length; start++)
        {
            if (!_navigable[start] || island[start] >= 0) continue;
            var id = sizes.Count;
            var size = 0;
            island[start] = id;
            queue.Enqueue(start);
            while (queue.TryDequeue(out var cell))
            {
                size++;
                foreach (var next in Neighbours4(cell))
                    if (_navigable[next] && island[next] < 0)
                    {
                        island[next] = id;
                        queue.Enqueue(next);
                    }
            }
            sizes.Add(size);
        }
        return (island, sizes.Count == 0 ? -1 : sizes.IndexOf(sizes.Max()));
    }

    private IEnumerable<int> Neighbours4(int cell)
    {
        int x = cell % Cols, z = cell / Cols;
        if (x > 0) yield return cell - 1;
        if (x < Cols - 1) yield return cell + 1;
        if (z > 0) yield return cell - Cols;
        if (z < Rows - 1) yield return cell + Cols;
    }

    public int CellOf(Vector3 p)
    {
        int x = (int)MathF.Floor((p.X - Origin.X) / CellSize), z = (int)MathF.Floor((p.Z - Origin.Y) / CellSize);
        return (uint)x < (uint)Cols && (uint)z < (uint)Rows ? z * Cols + x : -1;
    }

    public Vector3 CenterOf(int cell) =>
        new(Origin.X + (cell % Cols + 0.5f) * CellSize, FloorY, Origin.Y + (cell / Cols + 0.5f) * CellSize);

    public bool IsNavigable(int cell) => cell >= 0 && _navigable[cell];

    public bool IsNavigable(Vector3 p) => IsNavigable(CellOf(p));

    public int IslandOf(int cell) => cell >= 0 ? _island[cell] : -1;

    /// <summary>A uniformly random navigable point on the largest island, or null when there is no floor.</summary>
    public Vector3? SamplePoint(Random rng)
    {
        if (_largestIslandCells.Length == 0) return null;
        var cell = _largestIslandCells[rng.Next(_largestIslandCells.Length)];
        var jitter = new Vector3(rng.NextSingle() - 0.5f, 0, rng.NextSingle() - 0.5f) * (CellSize * 0.9f);
        return CenterOf(cell) + jitter;
    }

    /// <summary>The navigable cell nearest to <paramref name="p"/> within <paramref name="maxDistance"/> metres, or -1.</summary>
    public int Snap(Vector3 p, float maxDistance = 1f)
    {
        var cell = CellOf(p);
        if (IsNavigable(cell)) return cell;
        var reach = (int)MathF.Ceiling(maxDistance / CellSize);
        int px = (int)MathF.Floor((p.X - Origin.X) / CellSize), pz = (int)MathF.Floor((p.Z - Origin.Y) / CellSize);
        var best = -1;
        var bestDistance = float.MaxValue;
        for (var z = Math.Max(0, pz - reach); z <= Math.Min(Rows - 1, pz + reach); z++)
        for (var x = Math.Max(0, px - reach); x <= Math.Min(Cols - 1, px + reach); x++)
        {
            var c = z * Cols + x;
            if (!_navigable[c]) continue;
            var d = Vector2.DistanceSquared(new Vector2(p.X, p.Z), new Vector2(CenterOf(c).X, CenterOf(c).Z));
            if (d < bestDistance && d <= maxDistance * maxDistance) (best, bestDistance) = (c, d);
        }
        return best;
    }

    /// <summary>How far the agent gets from <paramref name="from"/> towards <paramref name="to"/> before
    /// leaving navigable space (checked every few centimetres).</summary>
    public float FreeDistance(Vector3 from, Vector3 to)
    {
        var length = Vector2.Distance(new Vector2(from.X, from.Z), new Vector2(to.X, to.Z));
        var steps = Math.Max(1, (int)MathF.Ceiling(length / (CellSize * 0.25f)));
        for (var i = 1; i <= steps; i++)
            if (!IsNavigable(Vector3.Lerp(from, to, (float)i / steps))) return length * (i - 1) / steps;
        return length;
    }
}

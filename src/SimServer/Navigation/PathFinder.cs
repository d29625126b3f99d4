using System.Numerics;

namespace DistDepth.SimServer.Navigation;

/// <summary>A* over the grid's 8-neighbourhood (no corner cutting), then string-pulled into the few
/// straight segments an agent would actually walk.</summary>
public static class PathFinder
{
    public sealed record Path(IReadOnlyList<Vector3> Points, float Length);

    /// <summary>The shortest path between the cells nearest the two points, or null when they are
    /// not navigable or not connected.</summary>
    public static Path? Find(NavGrid grid, Vector3 start, Vector3 end)
    {
        int from = grid.Snap(start), to = grid.Snap(end);
        if (from < 0 || to < 0 || grid.IslandOf(from) != grid.IslandOf(to)) return null;
        var cells = AStar(grid, from, to);
        var points = new List<Vector3> { grid.CenterOf(from) with { Y = grid.FloorY } };
        // String pulling: from each kept point, skip ahead to the farthest cell still in straight view.
        var anchor = 0;
        while (anchor < cells.Count - 1)
        {
            var next = anchor + 1;
            for (var k = cells.Count - 1; k > anchor + 1; k--)
                if (Visible(grid, grid.CenterOf(cells[anchor]), grid.CenterOf(cells[k]))) { next = k; break; }
            points.Add(grid.CenterOf(cells[next]));
            anchor = next;
        }
        var length = 0f;
        for (var i = 1; i < points.Count; i++) length += Vector3.Distance(points[i - 1], points[i]);
        return new Path(points, length);
    }

    private static bool Visible(NavGrid grid, Vector3 a, Vector3 b) => grid.FreeDistance(a, b) >= Vector3.Distance(a, b) - 1e-4f;

    private static List<int> AStar(NavGrid grid, int from, int to)
    {
        var cost = new Dictionary<int, float> { [from] = 0 };
        var parent = new Dictionary<int, int>();
        var open = new PriorityQueue<int, float>();
        open.Enqueue(from, 0);
        var goal = grid.CenterOf(to);
        while (open.TryDequeue(out var cell, out _))
        {
            if (cell == to) break;
            int x = cell % grid.Cols, z = cell / grid.Cols;
            for (var dz = -1; dz <= 1; dz++)
            for (var dx = -1; dx <= 1; dx++)
            {
                if (dx == 0 && dz == 0) continue;
                int nx = x + dx, nz = z + dz;
                if ((uint)nx >= (uint)grid.Cols || (uint)nz >= (uint)grid.Rows) continue;
                var next = nz * grid.Cols + nx;
                if (!grid.IsNavigable(next)) continue;
                if (dx != 0 && dz != 0 && !(grid.IsNavigable(z * grid.Cols + nx) && grid.IsNavigable(nz * grid.Cols + x))) continue;
                var g = cost[cell] + (dx != 0 && dz != 0 ? MathF.Sqrt(2) : 1f) * grid.CellSize;
                if (cost.TryGetValue(next, out var known) && known <= g) continue;
                cost[next] = g;
                parent[next] = cell;
                open.Enqueue(next, g + Vector3.Distance(grid.CenterOf(next), goal));
            }
        }
        var path = new List<int> { to };
        while (path[^1] != from) path.Add(parent[path[^1]]);
        path.Reverse();
        return path;
    }
}

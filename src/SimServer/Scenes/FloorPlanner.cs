using System.Numerics;

namespace DistDepth.SimServer.Scenes;

/// <summary>
/// Draws a <see cref="FloorPlan"/>: a grid of 2.8-5 m cells (sometimes with a corner left out, for an
/// L-shaped footprint, or with a 1.2-1.6 m corridor across the middle), cells merged into 2-5 rooms (a
/// merged row or L of cells is one room), a doorway between every room and the rest of the flat,
/// windows in exterior walls, and one doorway of at least 1.1 m onto the void in an outermost wall,
/// through which a horizontal ray leaves the building.
/// </summary>
internal static class FloorPlanner
{
    private const float MinCellM = 2.8f, CellSpreadM = 2.2f;

    public static FloorPlan Generate(Random rng)
    {
        var height = 2.4f + 0.8f * rng.NextSingle();
        var corridor = rng.NextSingle() < 0.4f;
        var cols = rng.Next(2, 4);
        var rows = corridor ? 3 : cols == 3 ? rng.Next(1, 3) : 2;
        var xs = Edges(Enumerable.Range(0, cols).Select(_ => MinCellM + CellSpreadM * rng.NextSingle()));
        var zs = Edges(Enumerable.Range(0, rows).Select(r => corridor && r == 1 ? 1.2f + 0.4f * rng.NextSingle() : MinCellM + CellSpreadM * rng.NextSingle()));

        var group = new int[cols * rows];
        for (var i = 0; i < group.Length; i++) group[i] = corridor && i / cols == 1 ? cols : i;
        if (!corridor && cols * rows >= 4 && rng.NextSingle() < 0.35f)
            group[new[] { 0, cols - 1, cols * (rows - 1), cols * rows - 1 }[rng.Next(4)]] = -1;
        var corridorGroup = corridor ? cols : -1;
        MergeRooms(rng, group, cols, corridorGroup, rng.Next(2, 6));
        GrowLargest(rng, group, cols, corridorGroup, i => (xs[i % cols + 1] - xs[i % cols]) * (zs[i / cols + 1] - zs[i / cols]));

        var ids = group.Where(g => g >= 0).Distinct().Order().ToList();
        var cells = ids.Select(id => Enumerable.Range(0, group.Length).Where(i => group[i] == id)
            .Select(i => new PlanRect(new(xs[i % cols], zs[i / cols]), new(xs[i % cols + 1], zs[i / cols + 1]))).ToList()).ToList();
        var owner = group.Select(g => ids.IndexOf(g)).ToArray();
        var types = RoomTypes(rng, cells, corridor ? ids.IndexOf(cols) : -1);
        var rooms = ids.Select((_, r) => new Room(r, types[r], cells[r])).ToList();

        var walls = Walls(owner, xs, zs);
        Openings.AddDoors(rng, walls, rooms, height);
        var gap = Openings.AddGap(rng, walls, rooms, xs, zs, height);
        Openings.AddWindows(rng, walls, rooms, gap, height);
        return new FloorPlan(height, rooms, walls);
    }

    private static float[] Edges(IEnumerable<float> sizes)
    {
        var edges = new List<float> { 0 };
        foreach (var s in sizes) edges.Add(edges[^1] + s);
        return [.. edges];
    }

    /// <summary>Merges neighbouring cells' groups until <paramref name="target"/> rooms remain (or no merge
    /// keeps rooms sensible: at most three cells, or a 2x2 block). The corridor never merges.</summary>
    private static void MergeRooms(Random rng, int[] group, int cols, int corridorGroup, int target)
    {
        while (group.Where(g => g >= 0).Distinct().Count() > target)
        {
            var candidates = new List<(int A, int B)>();
            for (var i = 0; i < group.Length; i++)
            foreach (var j in new[] { i + 1, i + cols })
            {
                if (j >= group.Length || (j == i + 1 && j % cols == 0)) continue;
                int a = group[i], b = group[j];
                if (a < 0 || b < 0 || a == b || a == corridorGroup || b == corridorGroup || candidates.Contains((a, b))) continue;
                var union = Enumerable.Range(0, group.Length).Where(k => group[k] == a || group[k] == b).ToList();
                if (union.Count <= 3 || IsBlock2x2(union, cols)) candidates.Add((a, b));
            }
            if (candidates.Count == 0) return;
            var (keep, gone) = candidates[rng.Next(candidates.Count)];
            for (var k = 0; k < group.Length; k++) if (group[k] == gone) group[k] = keep;
        }
    }

    /// <summary>Makes the largest room (the living room, which gets the gap to the void) two cells when it is
    /// one and rooms are left to spare: LookIntoVoid starts from random points, and the larger the room
    /// that sees out, the likelier one of them does.</summary>
    private static void GrowLargest(Random rng, int[] group, int cols, int corridorGroup, Func<int, float> cellArea)
    {
        var rooms = group.Where(g => g >= 0 && g != corridorGroup).Distinct().Order().ToList();
        if (rooms.Count < (corridorGroup >= 0 ? 2 : 3)) return;
        var largest = rooms.MaxBy(g => Enumerable.Range(0, group.Length).Where(i => group[i] == g).Sum(cellArea));
        var cells = Enumerable.Range(0, group.Length).Where(i => group[i] == largest).ToList();
        if (cells.Count > 1) return;
        int c = cells[0], x = c % cols;
        var neighbours = new[] { x > 0 ? c - 1 : -1, x < cols - 1 ? c + 1 : -1, c - cols, c + cols }
            .Where(n => n >= 0 && n < group.Length && group[n] >= 0 && group[n] != corridorGroup && group.Count(g => g == group[n]) == 1).ToList();
        if (neighbours.Count > 0) group[neighbours[rng.Next(neighbours.Count)]] = largest;
    }

    private static bool IsBlock2x2(List<int> cells, int cols) =>
        cells.Count == 4 && cells.Select(c => c % cols).Distinct().Count() == 2 && cells.Select(c => c / cols).Distinct().Count() == 2;

    /// <summary>The largest room is the living room, the corridor a corridor; the rest are drawn from a
    /// shuffled list so that a flat rarely has two of a kind.</summary>
    private static RoomType[] RoomTypes(Random rng, List<List<PlanRect>> cells, int corridor)
    {
        var types = new RoomType[cells.Count];
        var living = Enumerable.Range(0, cells.Count).Where(r => r != corridor).MaxBy(r => cells[r].Sum(c => c.Area));
        var pool = new List<RoomType> { RoomType.Bedroom, RoomType.Kitchen, RoomType.Office, RoomType.Dining, RoomType.Bedroom };
        for (var i = pool.Count - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        var next = 0;
        for (var r = 0; r < types.Length; r++)
            types[r] = r == corridor ? RoomType.Corridor : r == living ? RoomType.Living : pool[next++ % pool.Count];
        return types;
    }

    /// <summary>One wall per grid edge whose two sides belong to different rooms (or a room and outside).</summary>
    private static List<Wall> Walls(int[] owner, float[] xs, float[] zs)
    {
        int cols = xs.Length - 1, rows = zs.Length - 1;
        int Owner(int c, int r) => c < 0 || r < 0 || c >= cols || r >= rows ? -1 : owner[r * cols + c];
        var walls = new List<Wall>();
        for (var i = 0; i <= rows; i++)
        for (var c = 0; c < cols; c++)
            if (Owner(c, i - 1) != Owner(c, i)) walls.Add(new Wall(true, zs[i], xs[c], xs[c + 1], Owner(c, i - 1), Owner(c, i), []));
        for (var i = 0; i <= cols; i++)
        for (var r = 0; r < rows; r++)
            if (Owner(i - 1, r) != Owner(i, r)) walls.Add(new Wall(false, xs[i], zs[r], zs[r + 1], Owner(i - 1, r), Owner(i, r), []));
        return walls;
    }
}

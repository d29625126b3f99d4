using System.Numerics;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Scenes;

/// <summary>
/// The floor of one room while it is being furnished: what is taken, what must stay clear (the floor in
/// front of doorways and of the open gap), and whether a new piece would cut the walkable floor apart.
/// The walk test mirrors <see cref="Navigation.NavGrid"/>: obstacles grown by about the agent's radius on a
/// 0.1 m grid, then every doorway, the gap and the middle of each cell must stay on one connected piece
/// of floor holding nearly all of the room's free floor.
/// </summary>
internal sealed class RoomSpace
{
    private const float GridM = 0.1f;
    /// <summary>Agent radius (0.2 m) plus a margin for where NavGrid's 0.1 m cells fall: NavGrid blocks the
    /// whole cell an obstacle touches and then 0.2 m around it, so a passage needs about 0.7 m.</summary>
    private const float ClearanceM = 0.34f;
    private const float T = Wall.Thickness;

    private readonly Room _room;
    private readonly List<PlanRect> _inside;
    private readonly List<PlanRect> _blocked = [];
    private readonly List<PlanRect> _keepClear = [];
    private readonly List<PlanRect> _rugs = [];
    private readonly List<PlanRect> _walls = [];
    private readonly List<Vector2> _targets = [];
    private readonly Vector2 _origin;
    private readonly int _cols, _rows;
    private bool[]? _floor;

    public RoomSpace(FloorPlan plan, Room room)
    {
        _room = room;
        _inside = room.Cells.Select(c => c.Inset(T / 2 + 0.005f)).ToList();
        Walls = plan.WallsOf(room.Index).ToList();
        foreach (var (wall, side) in Walls)
        {
            var cursor = wall.From - T / 2;
            foreach (var o in wall.Openings.Where(o => o.Kind != OpeningKind.Window).OrderBy(o => o.Center))
            {
                _walls.Add(Span(wall, cursor, o.From, -T / 2, T / 2));
                cursor = o.To;
                var depth = o.Kind == OpeningKind.Gap ? 1.2f : 1.0f;
                _keepClear.Add(Span(wall, o.From - 0.25f, o.To + 0.25f, 0, side * depth));
                _targets.Add(wall.Point(o.Center, side * (o.Kind == OpeningKind.Gap ? 0.7f : 0.45f)));
                if (o.Kind == OpeningKind.Door && o.LeafSide == side) _blocked.Add(ShellFittings.LeafFootprint(wall, o));
            }
            _walls.Add(Span(wall, cursor, wall.To + T / 2, -T / 2, T / 2));
        }
        _targets.AddRange(room.Cells.Select(c => c.Center));
        var min = new Vector2(room.Cells.Min(c => c.Min.X), room.Cells.Min(c => c.Min.Y));
        var max = new Vector2(room.Cells.Max(c => c.Max.X), room.Cells.Max(c => c.Max.Y));
        _origin = min;
        (_cols, _rows) = ((int)MathF.Ceiling((max.X - min.X) / GridM), (int)MathF.Ceiling((max.Y - min.Y) / GridM));
    }

    public IReadOnlyList<(Wall Wall, int Side)> Walls { get; }

    /// <summary>Spans along the room's walls taken by pieces standing against them, with their tops,
    /// so that pictures go above low furniture and nowhere near tall furniture.</summary>
    public List<(Wall Wall, int Side, float From, float To, float Top)> WallUse { get; } = [];

    private static PlanRect Span(Wall wall, float from, float to, float offset0, float offset1)
    {
        Vector2 a = wall.Point(from, offset0), b = wall.Point(to, offset1);
        return new PlanRect(Vector2.Min(a, b), Vector2.Max(a, b));
    }

    /// <summary>Lays a rug: it only has to lie in the room and off the other rugs (it is walked over and
    /// furniture stands on it).</summary>
    public bool TryLay(PlanRect rug)
    {
        if (!Inside(rug) || _rugs.Any(r => r.Overlaps(rug))) return false;
        _rugs.Add(rug);
        return true;
    }

    public bool Inside(PlanRect r) =>
        new[] { r.Min, r.Max, new Vector2(r.Min.X, r.Max.Y), new Vector2(r.Max.X, r.Min.Y) }.All(p => _inside.Any(c => c.Contains(p)));

    /// <summary>Takes <paramref name="footprint"/> if it lies in the room, off everything taken and off the
    /// floor that must stay clear, and the room stays walkable with it.</summary>
    public bool TryTake(PlanRect footprint)
    {
        if (!Inside(footprint) || _blocked.Any(b => b.Overlaps(footprint, 0.02f)) || _keepClear.Any(k => k.Overlaps(footprint))) return false;
        _blocked.Add(footprint);
        if (Walkable()) return true;
        _blocked.RemoveAt(_blocked.Count - 1);
        return false;
    }

    /// <summary>Flood fill from the first target over free grid cells: every target (for a cell's middle, a
    /// free cell within 1.2 m of it: a table may stand on the middle itself) must be reached, and the
    /// reached floor must be at least 90% of all free floor, so no pocket is cut off behind furniture.</summary>
    private bool Walkable()
    {
        _floor ??= FloorMask();
        var free = (bool[])_floor.Clone();
        foreach (var b in _blocked) Mark(free, b.Inset(-ClearanceM));
        var freeCount = free.Count(f => f);
        var targets = _targets.Select(t => Nearest(free, t)).ToList();
        if (targets.Any(t => t < 0)) return false;
        var reached = new bool[free.Length];
        var queue = new Queue<int>([targets[0]]);
        reached[targets[0]] = true;
        var count = 0;
        while (queue.TryDequeue(out var cell))
        {
            count++;
            int x = cell % _cols, z = cell / _cols;
            foreach (var (nx, nz) in new[] { (x - 1, z), (x + 1, z), (x, z - 1), (x, z + 1) })
            {
                if ((uint)nx >= (uint)_cols || (uint)nz >= (uint)_rows) continue;
                var next = nz * _cols + nx;
                if (!free[next] || reached[next]) continue;
                reached[next] = true;
                queue.Enqueue(next);
            }
        }
        return targets.All(t => reached[t]) && count >= 0.9f * freeCount;
    }

    /// <summary>Grid cells on the room's floor and clear of its walls.</summary>
    private bool[] FloorMask()
    {
        var floor = new bool[_cols * _rows];
        for (var i = 0; i < floor.Length; i++)
            floor[i] = _room.Cells.Any(c => c.Contains(_origin + new Vector2(i % _cols + 0.5f, i / _cols + 0.5f) * GridM));
        foreach (var w in _walls) Mark(floor, w.Inset(-ClearanceM));
        return floor;
    }

    /// <summary>Clears the grid cells whose centres lie in <paramref name="r"/>.</summary>
    private void Mark(bool[] grid, PlanRect r)
    {
        int x0 = Math.Max(0, (int)MathF.Ceiling((r.Min.X - _origin.X) / GridM - 0.5f)), x1 = Math.Min(_cols - 1, (int)MathF.Floor((r.Max.X - _origin.X) / GridM - 0.5f));
        int z0 = Math.Max(0, (int)MathF.Ceiling((r.Min.Y - _origin.Y) / GridM - 0.5f)), z1 = Math.Min(_rows - 1, (int)MathF.Floor((r.Max.Y - _origin.Y) / GridM - 0.5f));
        for (var z = z0; z <= z1; z++)
        for (var x = x0; x <= x1; x++)
            grid[z * _cols + x] = false;
    }

    /// <summary>The free grid cell nearest <paramref name="p"/> within 1.2 m, or -1.</summary>
    private int Nearest(bool[] free, Vector2 p)
    {
        const int reach = 12;
        int px = (int)((p.X - _origin.X) / GridM), pz = (int)((p.Y - _origin.Y) / GridM);
        var best = -1;
        var bestDistance = int.MaxValue;
        for (var z = Math.Max(0, pz - reach); z <= Math.Min(_rows - 1, pz + reach); z++)
        for (var x = Math.Max(0, px - reach); x <= Math.Min(_cols - 1, px + reach); x++)
        {
            var d = (x - px) * (x - px) + (z - pz) * (z - pz);
            if (free[z * _cols + x] && d <= reach * reach && d < bestDistance) (best, bestDistance) = (z * _cols + x, d);
        }
        return best;
    }

    /// <summary>The frame of a piece standing with its back to <paramref name="wall"/> on <paramref name="side"/>,
    /// centred <paramref name="along"/> it, and its footprint.</summary>
    public static (RigidPose Frame, PlanRect Footprint) AgainstWall(Wall wall, int side, float along, float width, float depth)
    {
        const float offWall = T / 2 + 0.025f; // past the skirting
        var center = wall.Point(along, side * (offWall + depth / 2));
        var half = wall.AlongX ? new Vector2(width, depth) / 2 : new Vector2(depth, width) / 2;
        return (Facing(center, wall.Normal(side)), PlanRect.Around(center, half));
    }

    /// <summary>A frame on the floor at <paramref name="center"/> whose front looks along <paramref name="direction"/>.</summary>
    public static RigidPose Facing(Vector2 center, Vector2 direction) =>
        new(new Vector3(center.X, 0, center.Y), RigidPose.FromYawPitch(MathF.Atan2(-direction.X, -direction.Y), 0));
}

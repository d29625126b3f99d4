using System.Numerics;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Scenes;

/// <summary>
/// The rooms' shell: floors, ceilings and walls (each side in its room's paint, holes where the plan
/// has openings) and skirting boards. Large surfaces are split into ~1 m cells so that light baked
/// per vertex can vary across them.
/// </summary>
internal sealed class InteriorShell(MeshBuilder builder, Palette palette, Random rng, FloorPlan plan)
{
    public const float CellM = 1.0f;
    private const float T = Wall.Thickness;
    private const float SkirtingDepthM = 0.015f;

    /// <summary>Height of the scene's skirting boards (6-10 cm).</summary>
    public float SkirtingHeight { get; } = 0.06f + 0.04f * rng.NextSingle();

    public void Build()
    {
        var wallPaint = plan.Rooms.Select(r => palette.Fresh(WallSurface(r.Type))).ToArray();
        var ceiling = palette.Main(Surface.CeilingPlaster);
        var skirting = palette.Main(Surface.Skirting);
        foreach (var room in plan.Rooms)
        {
            var (surface, repeatM) = FloorSurface(room.Type);
            var floor = palette.Fresh(surface);
            foreach (var c in room.Cells)
            {
                builder.AddQuad(new(c.Min.X, 0, c.Max.Y), new(c.Max.X, 0, c.Max.Y), new(c.Max.X, 0, c.Min.Y), new(c.Min.X, 0, c.Min.Y), floor, Vector3.One, repeatM, CellM);
                var h = plan.CeilingHeight;
                builder.AddQuad(new(c.Min.X, h, c.Min.Y), new(c.Max.X, h, c.Min.Y), new(c.Max.X, h, c.Max.Y), new(c.Min.X, h, c.Max.Y), ceiling, Vector3.One, 2f, CellM);
            }
        }
        foreach (var wall in plan.Walls)
        {
            // -1: outside. An outer face is never seen (the gap is in an outermost wall, windows show their
            // view quad), yet the renderer, which has no occlusion culling, would draw it behind every inner one.
            var below = wall.Below >= 0 ? wallPaint[wall.Below] : -1;
            var above = wall.Above >= 0 ? wallPaint[wall.Above] : -1;
            var (from, to) = (wall.From - (Continues(wall, wall.From) ? 0 : T / 2), wall.To + (Continues(wall, wall.To) ? 0 : T / 2));
            foreach (var (a, b, y0, y1) in Pieces(wall, from, to)) AddWallPiece(wall, a, b, y0, y1, below, above, a > from, b < to);
            foreach (var side in new[] { -1, 1 })
                if ((side < 0 ? wall.Below : wall.Above) >= 0) AddSkirting(wall, side, from, to, skirting);
        }
    }

    private Surface WallSurface(RoomType type) => type switch
    {
        RoomType.Bedroom or RoomType.Living or RoomType.Dining when rng.NextSingle() < 0.4f => Surface.Wallpaper,
        RoomType.Kitchen when rng.NextSingle() < 0.5f => Surface.WallTiles,
        _ => Surface.PaintedPlaster,
    };

    /// <summary>The floor covering and its texture's repeat in metres (planks ~20 cm, tiles ~40 cm with the placeholder textures).</summary>
    private (Surface, float) FloorSurface(RoomType type) => type switch
    {
        RoomType.Kitchen => (Surface.FloorTiles, 1.6f),
        RoomType.Bedroom or RoomType.Office when rng.NextSingle() < 0.5f => (Surface.Carpet, 1f),
        RoomType.Dining or RoomType.Corridor when rng.NextSingle() < 0.4f => (Surface.FloorTiles, 1.6f),
        _ => (Surface.WoodFloor, 1.2f),
    };

    /// <summary>Whether another wall carries on along the same line from <paramref name="end"/>: then this one
    /// stops there, instead of running into it (coplanar faces of two paints would flicker).</summary>
    private bool Continues(Wall wall, float end) =>
        plan.Walls.Any(w => w != wall && w.AlongX == wall.AlongX && w.At == wall.At && (w.From == end || w.To == end));

    /// <summary>The solid parts of a wall between <paramref name="from"/> and <paramref name="to"/>: full height
    /// between openings, a lintel over each opening, a parapet under windows.</summary>
    private IEnumerable<(float A, float B, float Y0, float Y1)> Pieces(Wall wall, float from, float to)
    {
        var h = plan.CeilingHeight;
        var cursor = from;
        foreach (var o in wall.Openings.OrderBy(o => o.Center))
        {
            yield return (cursor, o.From, 0, h);
            yield return (o.From, o.To, o.Top, h);
            if (o.Kind == OpeningKind.Window) yield return (o.From, o.To, 0, o.Bottom);
            cursor = o.To;
        }
        yield return (cursor, to, 0, h);
    }

    /// <summary>One solid block of wall; <paramref name="revealA"/> and <paramref name="revealB"/> say whether its ends
    /// border an opening and show (the wall's own ends meet other walls, which hide them).</summary>
    private void AddWallPiece(Wall wall, float a, float b, float y0, float y1, int below, int above, bool revealA, bool revealB)
    {
        if (b - a < 1e-3f || y1 - y0 < 1e-3f) return;
        Vector3 P(float along, float offset, float y) { var p = wall.Point(along, offset); return new(p.X, y, p.Y); }
        var e = wall.AlongX ? Vector3.UnitX : Vector3.UnitZ;
        var n = wall.AlongX ? Vector3.UnitZ : Vector3.UnitX;
        const float o = T / 2;
        if (below >= 0) Face(P(a, -o, y0), P(b, -o, y0), P(b, -o, y1), P(a, -o, y1), -n, below, 1.5f);
        if (above >= 0) Face(P(a, o, y0), P(b, o, y0), P(b, o, y1), P(a, o, y1), n, above, 1.5f);
        // Reveals and the soffit/top of a lintel or parapet: in a room's paint, as plaster returns are.
        var reveal = Math.Max(below, above);
        if (revealA) Face(P(a, -o, y0), P(a, o, y0), P(a, o, y1), P(a, -o, y1), -e, reveal, 1.5f);
        if (revealB) Face(P(b, -o, y0), P(b, o, y0), P(b, o, y1), P(b, -o, y1), e, reveal, 1.5f);
        if (y0 > 1e-3f) Face(P(a, -o, y0), P(b, -o, y0), P(b, o, y0), P(a, o, y0), -Vector3.UnitY, reveal, 1.5f);
        if (y1 < plan.CeilingHeight - 1e-3f) Face(P(a, -o, y1), P(b, -o, y1), P(b, o, y1), P(a, o, y1), Vector3.UnitY, reveal, 1.5f);
    }

    /// <summary>A subdivided quad wound so that its normal is <paramref name="outward"/>.</summary>
    private void Face(Vector3 a, Vector3 b, Vector3 c, Vector3 d, Vector3 outward, int material, float repeatM)
    {
        if (Vector3.Dot(Vector3.Cross(b - a, d - a), outward) < 0) (b, d) = (d, b);
        builder.AddQuad(a, b, c, d, material, Vector3.One, repeatM, CellM);
    }

    /// <summary>Skirting along one side of a wall, broken at doors and the gap.</summary>
    private void AddSkirting(Wall wall, int side, float from, float to, int material)
    {
        var cursor = from;
        foreach (var o in wall.Openings.Where(o => o.Kind != OpeningKind.Window).OrderBy(o => o.Center).Append(null))
        {
            var end = o?.From ?? to;
            if (end - cursor > 0.02f)
            {
                var p = wall.Point(cursor, side * T / 2);
                var q = wall.Point(end, side * (T / 2 + SkirtingDepthM));
                builder.AddBox(new Vector3(MathF.Min(p.X, q.X), 0, MathF.Min(p.Y, q.Y)), new Vector3(MathF.Max(p.X, q.X), SkirtingHeight, MathF.Max(p.Y, q.Y)), material, Vector3.One, 0.5f);
            }
            if (o != null) cursor = o.To;
        }
    }
}

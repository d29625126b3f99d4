using System.Numerics;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Scenes;

/// <summary>
/// The <see cref="ViewCells"/> of a generated flat: its rooms are the cells, the openings in walls between
/// two rooms the portals. A flat has 2-5 rooms and a view sees one or two, so skipping the rest saves most
/// of the rasterizer's work on hidden triangles. Windows lead outside onto the view quad behind them and
/// the gap onto the void (it is in an outermost wall), so neither is a portal.
/// </summary>
internal static class PlanVisibility
{
    /// <summary>How far past a wall's centre line a camera still counts as in the room: into the doorway.</summary>
    private const float DoorwayReachM = Wall.Thickness / 2 + 0.01f;
    private const float Tolerance = 1e-3f;

    public static ViewCells For(FloorPlan plan, SceneMesh mesh)
    {
        var boxes = plan.Rooms.Select(r => r.Cells.Select(c => (
            new Vector3(c.Min.X - DoorwayReachM, float.NegativeInfinity, c.Min.Y - DoorwayReachM),
            new Vector3(c.Max.X + DoorwayReachM, float.PositiveInfinity, c.Max.Y + DoorwayReachM))).ToArray()).ToList();
        var portals = new List<Portal>();
        foreach (var w in plan.Walls.Where(w => !w.Exterior))
            foreach (var o in w.Openings)
            {
                Vector3 P(float along, float y) { var p = w.Point(along); return new(p.X, y, p.Y); }
                portals.Add(new Portal(w.Below, w.Above, P(o.From, o.Bottom), P(o.To, o.Bottom), P(o.To, o.Top), P(o.From, o.Top)));
            }
        return new ViewCells(boxes, portals, TriangleRooms(plan, mesh));
    }

    /// <summary>Each triangle's room, by where its centroid stands in plan: a wall's face lies 5 cm inside its
    /// room, furniture and fittings well inside. A centroid on a wall line between two rooms (a doorway's
    /// reveals) or outside every room (a window's view) gets -1: drawn in every view.</summary>
    private static int[] TriangleRooms(FloorPlan plan, SceneMesh mesh)
    {
        var rooms = new int[mesh.TriangleCount];
        for (var t = 0; t < rooms.Length; t++)
        {
            var (a, b, c) = mesh.Triangle(t);
            var centroid = (a + b + c) / 3;
            var p = new Vector2(centroid.X, centroid.Z);
            var found = -1;
            foreach (var room in plan.Rooms)
                if (room.Cells.Any(cell => cell.Inset(-Tolerance).Contains(p)))
                {
                    found = found == -1 ? room.Index : -2;
                    if (found == -2) break;
                }
            rooms[t] = Math.Max(found, -1);
        }
        return rooms;
    }
}

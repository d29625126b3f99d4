using System.Numerics;

namespace DistDepth.SimServer.Geometry;

/// <summary>A doorway between two rooms, as the quad of its hole on the wall's centre line.</summary>
public readonly record struct Portal(int RoomA, int RoomB, Vector3 C0, Vector3 C1, Vector3 C2, Vector3 C3);

/// <summary>
/// Cell-and-portal visibility (Teller and Sequin 1991; Luebke and Georges 1995) for a mesh made of rooms:
/// each triangle belongs to one room, or to none (drawn in every view: door reveals, the views behind
/// windows), and one room sees into another only through a portal. A view draws the rooms it reaches from
/// the camera's room through portals in sight, each only within the image rectangle its portals leave.
/// Conservative (rectangles bound the portals' outlines, with a pixel to spare), so the pixels are those
/// of drawing everything.
/// </summary>
public sealed class ViewCells
{
    private readonly (Vector3 Min, Vector3 Max)[][] _roomBoxes;
    private readonly Portal[] _portals;

    /// <param name="roomBoxes">Per room, boxes that together hold its space (walls included up to their
    /// centre lines): where a camera counts as in the room.</param>
    /// <param name="triangleRoom">Per triangle of the mesh, its room, or -1 for drawn always.</param>
    public ViewCells(IReadOnlyList<(Vector3 Min, Vector3 Max)[]> roomBoxes, IReadOnlyList<Portal> portals, int[] triangleRoom)
    {
        _roomBoxes = [.. roomBoxes];
        _portals = [.. portals];
        foreach (var p in _portals)
            if ((uint)p.RoomA >= (uint)_roomBoxes.Length || (uint)p.RoomB >= (uint)_roomBoxes.Length)
                throw new ArgumentException($"portal between rooms {p.RoomA} and {p.RoomB}: there are {_roomBoxes.Length} rooms");
        foreach (var r in triangleRoom)
            if (r < -1 || r >= _roomBoxes.Length) throw new ArgumentException($"triangle room {r}: there are {_roomBoxes.Length} rooms");
        TriangleRoom = triangleRoom;
    }

    public int[] TriangleRoom { get; }
    public int RoomCount => _roomBoxes.Length;

    /// <summary>
    /// Through which part of the image a camera at <paramref name="camera"/> may see each room: the whole
    /// image for the room it stands in, for another room the union over the chains of portals leading there
    /// of the window each chain leaves (<paramref name="through"/> narrows a window by one portal, or says
    /// the portal is out of sight with null). Null for a room out of sight; null altogether (draw everything)
    /// when the camera stands in no room.
    /// </summary>
    public ViewWindow?[]? Windows(Vector3 camera, ViewWindow image, Func<Portal, ViewWindow, ViewWindow?> through)
    {
        var windows = new ViewWindow?[_roomBoxes.Length];
        var frontier = new Queue<int>();
        for (var r = 0; r < _roomBoxes.Length; r++)
            if (_roomBoxes[r].Any(b => Vector3.Clamp(camera, b.Min, b.Max) == camera))
            {
                windows[r] = image;
                frontier.Enqueue(r);
            }
        if (frontier.Count == 0) return null;
        // A window only grows, within the image, so this ends; a flat has a handful of rooms and portals.
        while (frontier.TryDequeue(out var room))
            foreach (var p in _portals)
            {
                var other = p.RoomA == room ? p.RoomB : p.RoomB == room ? p.RoomA : -1;
                if (other < 0 || through(p, windows[room]!.Value) is not { } seen) continue;
                var grown = windows[other] is { } had ? had.Union(seen) : seen;
                if (grown == windows[other]) continue;
                windows[other] = grown;
                frontier.Enqueue(other);
            }
        return windows;
    }
}

/// <summary>An inclusive rectangle of pixels, through which a room is seen.</summary>
public readonly record struct ViewWindow(int X0, int Y0, int X1, int Y1)
{
    public bool IsEmpty => X0 > X1 || Y0 > Y1;

    public ViewWindow Union(ViewWindow o) => new(Math.Min(X0, o.X0), Math.Min(Y0, o.Y0), Math.Max(X1, o.X1), Math.Max(Y1, o.Y1));

    public ViewWindow Intersect(ViewWindow o) => new(Math.Max(X0, o.X0), Math.Max(Y0, o.Y0), Math.Min(X1, o.X1), Math.Min(Y1, o.Y1));
}

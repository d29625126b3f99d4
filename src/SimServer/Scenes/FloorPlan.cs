using System.Numerics;

namespace DistDepth.SimServer.Scenes;

/// <summary>What a room is for; it picks the room's furniture.</summary>
public enum RoomType { Living, Bedroom, Office, Kitchen, Dining, Corridor }

/// <summary>An axis-aligned rectangle in plan (x, z), metres.</summary>
public readonly record struct PlanRect(Vector2 Min, Vector2 Max)
{
    public Vector2 Size => Max - Min;
    public Vector2 Center => (Min + Max) / 2;
    public float Area => Size.X * Size.Y;

    public PlanRect Inset(float by) => new(Min + new Vector2(by), Max - new Vector2(by));

    public bool Contains(Vector2 p) => p.X >= Min.X && p.X <= Max.X && p.Y >= Min.Y && p.Y <= Max.Y;

    public bool Overlaps(PlanRect other, float gap = 0) =>
        Min.X < other.Max.X + gap && other.Min.X < Max.X + gap && Min.Y < other.Max.Y + gap && other.Min.Y < Max.Y + gap;

    public static PlanRect Around(Vector2 center, Vector2 halfSize) => new(center - halfSize, center + halfSize);
}

/// <summary>A room: the grid cells it covers (one cell, a row of two or three, or an L of three) and its type.</summary>
public sealed record Room(int Index, RoomType Type, IReadOnlyList<PlanRect> Cells)
{
    /// <summary>The largest cell, where the room's main furniture group goes.</summary>
    public PlanRect Main => Cells.MaxBy(c => c.Area);
}

/// <summary>A doorway, a window (over a parapet, with a view behind it) or the gap to the void (a doorway without a door).</summary>
public enum OpeningKind { Door, Window, Gap }

/// <summary>A hole in a wall, <paramref name="Center"/> and <paramref name="Width"/> along it, from
/// <paramref name="Bottom"/> to <paramref name="Top"/> above the floor. A door may have a leaf swung open
/// into the room on its <paramref name="LeafSide"/> (-1 the lower coordinate, +1 the higher, 0 none),
/// hinged at its lower (-1) or higher (+1) end.</summary>
public sealed record Opening(OpeningKind Kind, float Center, float Width, float Bottom, float Top, int LeafSide = 0, int Hinge = -1)
{
    public float From => Center - Width / 2;
    public float To => Center + Width / 2;
}

/// <summary>A straight wall on a grid line: along x at z = <paramref name="At"/> (or along z at x = At),
/// from <paramref name="From"/> to <paramref name="To"/>, between room <paramref name="Below"/> (the side
/// of lower coordinate) and <paramref name="Above"/>; -1 is outside.</summary>
public sealed record Wall(bool AlongX, float At, float From, float To, int Below, int Above, List<Opening> Openings)
{
    public const float Thickness = 0.1f;

    public bool Exterior => Below < 0 || Above < 0;
    public float Length => To - From;

    /// <summary>The plan point <paramref name="along"/> the wall, <paramref name="offset"/> off its centre line.</summary>
    public Vector2 Point(float along, float offset = 0) => AlongX ? new(along, At + offset) : new(At + offset, along);

    /// <summary>+1 or -1: which way the room <paramref name="room"/> lies from the centre line (0 if it is on neither side).</summary>
    public int SideOf(int room) => room == Above ? 1 : room == Below ? -1 : 0;

    public Vector2 Normal(int side) => AlongX ? new(0, side) : new(side, 0);
}

/// <summary>A generated floor plan: its rooms, walls and ceiling height, everything in metres.</summary>
public sealed record FloorPlan(float CeilingHeight, IReadOnlyList<Room> Rooms, IReadOnlyList<Wall> Walls)
{
    /// <summary>The walls of <paramref name="room"/> with the side it lies on.</summary>
    public IEnumerable<(Wall Wall, int Side)> WallsOf(int room) =>
        Walls.Select(w => (w, w.SideOf(room))).Where(x => x.Item2 != 0);
}

namespace DistDepth.SimServer.Scenes;

/// <summary>Puts doorways, windows and the one open gap into a plan's walls, at real proportions:
/// doors 0.8-0.9 x 2.0-2.1 m, window sills 0.8-1.0 m high.</summary>
internal static class Openings
{
    /// <summary>Openings stay this far from a wall's ends, so corners keep a piece of wall and door casings fit.</summary>
    private const float EndMarginM = 0.45f;

    /// <summary>Every room gets connected: first each room next to the corridor gets a door onto it, then a
    /// random spanning tree over the rest, then a few extra doors between rooms already connected.</summary>
    public static void AddDoors(Random rng, List<Wall> walls, IReadOnlyList<Room> rooms, float height)
    {
        var interior = walls.Where(w => !w.Exterior).ToList();
        var connected = new bool[rooms.Count];
        var corridor = rooms.FirstOrDefault(r => r.Type == RoomType.Corridor);
        var start = corridor ?? rooms.First(r => r.Type == RoomType.Living);
        connected[start.Index] = true;
        var doored = new List<(int, int)>();
        void Door(Wall w)
        {
            var width = 0.8f + 0.1f * rng.NextSingle();
            var center = w.From + EndMarginM + width / 2 + (w.Length - 2 * EndMarginM - width) * rng.NextSingle();
            // A leaf never opens into a corridor: it would stand across it.
            var leafSide = rng.NextSingle() < 0.6f ? (rng.Next(2) == 0 ? -1 : 1) : 0;
            if (leafSide != 0 && rooms[leafSide < 0 ? w.Below : w.Above].Type == RoomType.Corridor) leafSide = -leafSide;
            w.Openings.Add(new Opening(OpeningKind.Door, center, width, 0, MathF.Min(2.0f + 0.1f * rng.NextSingle(), height - 0.2f),
                                       leafSide, rng.Next(2) == 0 ? -1 : 1));
            connected[w.Below] = connected[w.Above] = true;
            doored.Add((Math.Min(w.Below, w.Above), Math.Max(w.Below, w.Above)));
        }
        if (corridor != null)
            foreach (var r in rooms.Where(r => r != corridor))
                if (interior.Where(w => w.SideOf(corridor.Index) != 0 && w.SideOf(r.Index) != 0).ToList() is { Count: > 0 } shared)
                    Door(shared[rng.Next(shared.Count)]);
        while (connected.Contains(false))
        {
            var frontier = interior.Where(w => connected[w.Below] != connected[w.Above]).ToList();
            Door(frontier[rng.Next(frontier.Count)]);
        }
        foreach (var w in interior)
            if (!doored.Contains((Math.Min(w.Below, w.Above), Math.Max(w.Below, w.Above))) && rng.NextSingle() < 0.25f) Door(w);
    }

    /// <summary>The opening to the void: a doorway without a door in an outermost wall (on the plan's bounding
    /// box, so nothing of the building lies beyond it) of the living room, 1.1-1.4 m wide and door high. It was a
    /// missing stretch of wall, floor to ceiling and 1.6-3.6 m wide, and half of all frames of a walk showed some
    /// void, which no real room does; a doorway still lets the LookIntoVoid trajectory stand in it and see
    /// nothing but void, and a walk sees it as often as a door.</summary>
    public static Wall AddGap(Random rng, List<Wall> walls, IReadOnlyList<Room> rooms, float[] xs, float[] zs, float height)
    {
        var living = rooms.First(r => r.Type == RoomType.Living).Index;
        bool Outermost(Wall w) => w.AlongX ? w.At == zs[0] || w.At == zs[^1] : w.At == xs[0] || w.At == xs[^1];
        var candidates = walls.Where(w => w.Exterior && w.SideOf(living) != 0 && Outermost(w)).ToList();
        var wall = candidates[rng.Next(candidates.Count)];
        var width = MathF.Min(wall.Length - 2 * EndMarginM, 1.1f + 0.3f * rng.NextSingle());
        var center = wall.From + EndMarginM + width / 2 + (wall.Length - 2 * EndMarginM - width) * rng.NextSingle();
        // Door high, without a draw of its own: the furniture after it keeps its random numbers.
        wall.Openings.Add(new Opening(OpeningKind.Gap, center, width, 0, MathF.Min(2.05f, height - 0.2f)));
        return wall;
    }

    /// <summary>Zero to two windows per exterior wall, none on the gap's line (the view out of the gap
    /// would catch the quad behind a neighbouring window).</summary>
    public static void AddWindows(Random rng, List<Wall> walls, IReadOnlyList<Room> rooms, Wall gap, float height)
    {
        foreach (var w in walls.Where(w => w.Exterior && !(w.AlongX == gap.AlongX && w.At == gap.At)))
        {
            var room = rooms[Math.Max(w.Below, w.Above)];
            if (rng.NextSingle() >= (room.Type == RoomType.Corridor ? 0.25f : 0.7f)) continue;
            var count = w.Length > 4.2f && rng.NextSingle() < 0.35f ? 2 : 1;
            var slot = w.Length / count;
            for (var i = 0; i < count; i++)
            {
                var width = MathF.Min(0.8f + 0.8f * rng.NextSingle(), slot - 2 * EndMarginM);
                var sill = 0.8f + 0.2f * rng.NextSingle();
                var top = MathF.Min(sill + 1.1f + 0.4f * rng.NextSingle(), height - 0.25f);
                var center = w.From + slot * i + EndMarginM + width / 2 + (slot - 2 * EndMarginM - width) * rng.NextSingle();
                w.Openings.Add(new Opening(OpeningKind.Window, center, width, sill, top));
            }
        }
    }
}

using System.Numerics;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Scenes;

/// <summary>Where pieces go: against a wall, at a given spot, in a corner, on a wall; and the groups every
/// room type shares (a table with chairs, storage, plants, pictures, things on the floor).</summary>
internal sealed partial class Furnishing
{
    /// <summary>A piece placed against a wall.</summary>
    private readonly record struct Placed(Wall Wall, int Side, RigidPose Frame, PlanRect Footprint);

    /// <summary>Tries random spots along the room's walls for a piece whose centre falls in <paramref name="zone"/>.</summary>
    private bool AgainstWall(RoomSpace space, PlanRect zone, float width, float depth, float height, out Placed placed)
    {
        placed = default;
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var (wall, side) = space.Walls[rng.Next(space.Walls.Count)];
            if (wall.Length < width) continue;
            var along = wall.From + width / 2 + (wall.Length - width) * rng.NextSingle();
            if (zone.Contains(RoomSpace.AgainstWall(wall, side, along, width, depth).Footprint.Center) &&
                TryAt(space, wall, side, along, width, depth, height, out placed)) return true;
        }
        return false;
    }

    /// <summary>Takes the spot against <paramref name="wall"/> centred <paramref name="along"/> it, unless it is
    /// taken, blocks the way or stands in front of a window it is taller than the sill of.</summary>
    private bool TryAt(RoomSpace space, Wall wall, int side, float along, float width, float depth, float height, out Placed placed)
    {
        var (frame, footprint) = RoomSpace.AgainstWall(wall, side, along, width, depth);
        placed = new Placed(wall, side, frame, footprint);
        float from = along - width / 2, to = along + width / 2;
        if (wall.Openings.Any(o => o.Kind == OpeningKind.Window && o.From - 0.1f < to && from < o.To + 0.1f && height > o.Bottom - 0.03f)) return false;
        if (!space.TryTake(footprint)) return false;
        space.WallUse.Add((wall, side, from, to, height));
        return true;
    }

    /// <summary>The frame of a free-standing piece at <paramref name="center"/> facing <paramref name="forward"/>
    /// (an axis), if its footprint can be taken.</summary>
    private static RigidPose? Free(RoomSpace space, Vector2 center, Vector2 forward, float width, float depth) =>
        space.TryTake(PlanRect.Around(center, Half(forward, width, depth))) ? RoomSpace.Facing(center, forward) : null;

    private static Vector2 Half(Vector2 forward, float width, float depth) =>
        MathF.Abs(forward.Y) > 0.5f ? new Vector2(width, depth) / 2 : new Vector2(depth, width) / 2;

    private void Rug(RoomSpace space, Vector2 center, Vector2 forward, float width, float depth)
    {
        if (space.TryLay(PlanRect.Around(center, Half(forward, width, depth)))) furniture.Rug(RoomSpace.Facing(center, forward), width, depth);
    }

    /// <summary>A table in the middle of <paramref name="zone"/>, its long side along the zone's, chairs on both
    /// long sides (and at the ends of a long table), a rug under it all when asked.</summary>
    private void TableGroup(RoomSpace space, PlanRect zone, bool rug)
    {
        var alongX = zone.Size.X >= zone.Size.Y;
        float zoneLong = MathF.Max(zone.Size.X, zone.Size.Y), zoneShort = MathF.Min(zone.Size.X, zone.Size.Y);
        float tableW = MathF.Min(U(1.2f, 1.9f), zoneLong - 1.8f), tableD = MathF.Min(U(0.8f, 0.95f), zoneShort - 2.0f);
        if (tableW < 0.8f || tableD < 0.7f) (tableW, tableD) = (0.8f, 0.75f);
        var forward = alongX ? Vector2.UnitY : Vector2.UnitX;
        var across = alongX ? Vector2.UnitX : Vector2.UnitY;
        // Near the middle of the zone, moved about when something already stands there.
        Vector2 center = default;
        RigidPose? table = null;
        for (var attempt = 0; attempt < 8 && table == null; attempt++)
        {
            var spread = 0.2f + 0.15f * attempt;
            center = zone.Center + across * U(-spread, spread) + forward * U(-spread, spread);
            table = Free(space, center, forward, tableW, tableD);
        }
        if (table is not { } placed) return;
        furniture.Table(placed, tableW, tableD);
        var perSide = Math.Max(1, (int)(tableW / 0.6f));
        var offset = tableD / 2 + 0.03f + Furniture.ChairDepthM / 2;
        foreach (var s in new[] { -1, 1 })
        {
            for (var i = 0; i < perSide; i++)
            {
                var c = center + across * (-tableW / 2 + tableW * (i + 0.5f) / perSide) + forward * s * offset;
                if (Free(space, c, -forward * s, Furniture.ChairWidthM, Furniture.ChairDepthM) is { } chair) furniture.Chair(chair);
            }
            var end = center + across * s * (tableW / 2 + 0.03f + Furniture.ChairDepthM / 2);
            if (tableW >= 1.5f && Free(space, end, -across * s, Furniture.ChairWidthM, Furniture.ChairDepthM) is { } head) furniture.Chair(head);
        }
        if (rug) Rug(space, center, forward, tableW + U(1.2f, 1.6f), tableD + U(1.2f, 1.6f));
    }

    /// <summary>A bookshelf or a cabinet (low with things on it, or tall) against a wall.</summary>
    private void Storage(RoomSpace space, PlanRect zone)
    {
        var width = U(0.7f, 1.4f);
        var depth = U(0.3f, 0.45f);
        var height = MathF.Min(rng.Next(2) == 0 ? U(0.7f, 1.0f) : U(1.5f, 2.1f), plan.CeilingHeight - 0.2f);
        if (!AgainstWall(space, zone, width, depth, height, out var placed)) return;
        if (rng.Next(2) == 0) furniture.Bookshelf(placed.Frame, width, depth, height);
        else furniture.Cabinet(placed.Frame, width, depth, height);
    }

    /// <summary>Floor plants in the corners of <paramref name="zone"/>.</summary>
    private void Plants(RoomSpace space, PlanRect zone, int count)
    {
        var inner = zone.Inset(Wall.Thickness / 2 + 0.05f);
        var corners = new[] { inner.Min, new Vector2(inner.Max.X, inner.Min.Y), new Vector2(inner.Min.X, inner.Max.Y), inner.Max };
        for (int placed = 0, k = rng.Next(4), tried = 0; placed < count && tried < 4; tried++, k = (k + 1) % 4)
        {
            var height = U(0.6f, 1.5f);
            var half = MathF.Min(0.3f, height * 0.22f);
            var center = corners[k] + new Vector2(corners[k].X < zone.Center.X ? half : -half, corners[k].Y < zone.Center.Y ? half : -half);
            if (!space.TryTake(PlanRect.Around(center, new Vector2(half)))) continue;
            furniture.Plant(RoomSpace.Facing(center, Vector2.UnitY), height);
            placed++;
        }
    }

    /// <summary>A few boxes, book stacks or bottles on the floor against the walls.</summary>
    private void FloorClutter(RoomSpace space, PlanRect zone, int count)
    {
        for (var i = 0; i < count; i++)
            if (AgainstWall(space, zone, 0.32f, 0.32f, 0.35f, out var spot)) furniture.Item(spot.Frame, 0.3f);
    }

    /// <summary>Framed pictures at eye height on free stretches of wall, above low furniture at most.</summary>
    private void Pictures(RoomSpace space, int count)
    {
        for (int placed = 0, attempt = 0; placed < count && attempt < Attempts; attempt++)
        {
            var (wall, side) = space.Walls[rng.Next(space.Walls.Count)];
            float width = U(0.35f, 1.0f), height = U(0.4f, 0.8f), centerY = MathF.Min(U(1.35f, 1.65f), plan.CeilingHeight - height / 2 - 0.25f);
            if (wall.Length < width + 0.8f) continue;
            var along = wall.From + 0.4f + width / 2 + (wall.Length - 0.8f - width) * rng.NextSingle();
            float from = along - width / 2 - 0.1f, to = along + width / 2 + 0.1f, bottom = centerY - height / 2 - 0.1f;
            if (wall.Openings.Any(o => o.From < to && from < o.To)) continue;
            if (space.WallUse.Any(u => u.Wall == wall && u.Side == side && u.From < to && from < u.To && u.Top > bottom)) continue;
            space.WallUse.Add((wall, side, from, to, plan.CeilingHeight));
            furniture.Poster(RoomSpace.Facing(wall.Point(along, side * Wall.Thickness / 2), wall.Normal(side)), width, height, centerY);
            placed++;
        }
    }
}

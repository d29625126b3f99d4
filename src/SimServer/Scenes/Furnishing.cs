using System.Numerics;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Scenes;

/// <summary>
/// Furnishes rooms the way people do: the room's type picks a main group for its largest cell (a sofa
/// facing a TV across a coffee table on a rug; a bed with nightstands; a desk with its chair; kitchen
/// counters; a table with chairs around it), other cells of an L or a long room get a second group, and
/// every room gets plants in corners, pictures on the walls and a few things on the floor. Beds, sofas,
/// shelves, cabinets and desks stand against walls facing into the room; anything that would block a
/// doorway or cut the floor apart is left out (<see cref="RoomSpace"/>).
/// </summary>
internal sealed partial class Furnishing(FloorPlan plan, Furniture furniture, Random rng)
{
    private const int Attempts = 30;

    private float U(float lo, float hi) => lo + (hi - lo) * rng.NextSingle();

    public void Furnish(Room room)
    {
        var space = new RoomSpace(plan, room);
        var main = room.Main;
        switch (room.Type)
        {
            case RoomType.Living: LivingGroup(space, main); break;
            case RoomType.Bedroom: BedGroup(space, main); break;
            case RoomType.Office: DeskGroup(space, main); break;
            case RoomType.Kitchen: KitchenGroup(space, main); break;
            case RoomType.Dining: TableGroup(space, main, rug: true); break;
            default: CorridorGroup(space, main); break;
        }
        foreach (var cell in room.Cells.Where(c => c != main))
        {
            switch (room.Type)
            {
                case RoomType.Living or RoomType.Kitchen: TableGroup(space, cell, rug: room.Type == RoomType.Living); break;
                case RoomType.Bedroom: DeskGroup(space, cell); break;
                default: Storage(space, cell); break;
            }
        }
        if (room.Type != RoomType.Corridor)
        {
            Storage(space, main);
            foreach (var cell in room.Cells) Plants(space, cell, rng.Next(0, 3));
            FloorClutter(space, main, rng.Next(0, 3));
        }
        Pictures(space, rng.Next(1, 4));
    }

    private void LivingGroup(RoomSpace space, PlanRect zone)
    {
        float sofaW = U(1.6f, 2.3f), sofaD = U(0.85f, 0.95f);
        if (!AgainstWall(space, zone, sofaW, sofaD, 0.9f, out var sofa)) return;
        furniture.Sofa(sofa.Frame, sofaW, sofaD);
        var n = sofa.Wall.Normal(sofa.Side);
        var across = sofa.Wall.AlongX ? Vector2.UnitX : Vector2.UnitY;
        var sofaCenter = sofa.Footprint.Center;
        float tableW = U(0.9f, 1.2f), tableD = U(0.5f, 0.65f);
        var tableCenter = sofaCenter + n * (sofaD / 2 + 0.4f + tableD / 2);
        if (Free(space, tableCenter, n, tableW, tableD) is { } table)
        {
            furniture.CoffeeTable(table, tableW, tableD);
            Rug(space, tableCenter, n, tableW + U(0.7f, 1.3f), tableD + U(0.8f, 1.2f));
            var s = rng.Next(2) == 0 ? -1 : 1;
            var chairCenter = tableCenter + across * s * (tableW / 2 + 0.35f + 0.42f);
            if (Free(space, chairCenter, -across * s, 0.85f, 0.85f) is { } chair) furniture.Sofa(chair, 0.85f, 0.85f);
        }
        // The TV stands on the wall the sofa faces, across from it (rated 1.5 m tall: not in front of a window).
        var tvW = U(1.2f, 1.8f);
        var spots = space.Walls.Where(w => w.Wall.Normal(w.Side) == -n)
            .SelectMany(w => new[] { 0f, -0.4f, 0.4f, -0.8f, 0.8f }.Select(shift => (w.Wall, w.Side, Along: (w.Wall.AlongX ? sofaCenter.X : sofaCenter.Y) + shift)));
        foreach (var (wall, side, along) in spots)
            if (TryAt(space, wall, side, along, tvW, 0.42f, 1.5f, out var unit)) { furniture.TvUnit(unit.Frame, tvW, 0.42f); break; }
        var lampAlong = (sofa.Wall.AlongX ? sofaCenter.X : sofaCenter.Y) + (rng.Next(2) == 0 ? -1 : 1) * (sofaW / 2 + 0.3f);
        if (TryAt(space, sofa.Wall, sofa.Side, lampAlong, 0.4f, 0.4f, 1.7f, out var lamp)) furniture.FloorLamp(lamp.Frame);
    }

    private void BedGroup(RoomSpace space, PlanRect zone)
    {
        float bedW = new[] { 0.9f, 1.4f, 1.6f, 1.8f }[rng.Next(4)], bedL = U(2.0f, 2.15f);
        // A small room with windows all round gets its bed under a window, with a headboard below the sill.
        var headboard = 1.2f;
        if (!AgainstWall(space, zone, bedW + 0.06f, bedL, headboard, out var bed) && !AgainstWall(space, zone, bedW + 0.06f, bedL, headboard = 0.75f, out bed)) return;
        furniture.Bed(bed.Frame, bedW, bedL, headboard);
        var along = bed.Wall.AlongX ? bed.Footprint.Center.X : bed.Footprint.Center.Y;
        float standW = U(0.4f, 0.55f), standD = U(0.35f, 0.45f);
        foreach (var s in new[] { -1, 1 })
            if (TryAt(space, bed.Wall, bed.Side, along + s * (bedW / 2 + 0.08f + standW / 2), standW, standD, 0.55f, out var stand))
                furniture.Nightstand(stand.Frame, standW, standD);
        var n = bed.Wall.Normal(bed.Side);
        Rug(space, bed.Footprint.Center + n * (bedL / 2 - 0.3f), n, bedW + U(0.8f, 1.2f), U(1.2f, 1.6f));
        var wardrobeH = MathF.Min(2.2f, plan.CeilingHeight - 0.15f);
        var wardrobeW = U(1.0f, 2.0f);
        if (AgainstWall(space, zone, wardrobeW, 0.6f, wardrobeH, out var wardrobe)) furniture.Cabinet(wardrobe.Frame, wardrobeW, 0.6f, wardrobeH);
        if (rng.NextSingle() < 0.35f) DeskGroup(space, zone);
    }

    private void DeskGroup(RoomSpace space, PlanRect zone)
    {
        float deskW = U(1.1f, 1.6f), deskD = U(0.6f, 0.75f);
        // Rated 0.76 m tall for windows: a desk may stand under one, its monitor in front of the glass.
        if (!AgainstWall(space, zone, deskW, deskD, 0.76f, out var desk)) return;
        furniture.Desk(desk.Frame, deskW, deskD);
        var n = desk.Wall.Normal(desk.Side);
        var chairCenter = desk.Footprint.Center + n * (deskD / 2 + 0.05f + Furniture.ChairDepthM / 2);
        if (Free(space, chairCenter, -n, Furniture.ChairWidthM, Furniture.ChairDepthM) is { } chair) furniture.Chair(chair);
        if (rng.Next(2) == 0) Rug(space, chairCenter, n, U(1.2f, 1.8f), U(1.0f, 1.4f));
        var shelfW = U(0.7f, 1.2f);
        var shelfH = MathF.Min(U(1.5f, 2.1f), plan.CeilingHeight - 0.2f);
        if (AgainstWall(space, zone, shelfW, 0.32f, shelfH, out var shelf)) furniture.Bookshelf(shelf.Frame, shelfW, 0.32f, shelfH);
        if (rng.Next(2) == 0 && AgainstWall(space, zone, 0.4f, 0.4f, 1.7f, out var lamp)) furniture.FloorLamp(lamp.Frame);
    }

    private void KitchenGroup(RoomSpace space, PlanRect zone)
    {
        var runs = 0;
        foreach (var width in new[] { U(2.4f, 3.6f), U(1.8f, 2.4f), 1.2f, U(1.8f, 2.4f), 1.2f })
        {
            if (runs == 2 || (runs == 1 && rng.Next(2) == 0)) break;
            if (!AgainstWall(space, zone, width, 0.62f, 2.15f, out var counter)) continue;
            furniture.KitchenCounter(counter.Frame, width, 0.62f, plan.CeilingHeight);
            var along = counter.Wall.AlongX ? counter.Footprint.Center.X : counter.Footprint.Center.Y;
            if (runs++ == 0 && TryAt(space, counter.Wall, counter.Side, along + (rng.Next(2) == 0 ? -1 : 1) * (width / 2 + 0.33f), 0.62f, 0.65f, 1.85f, out var fridge))
                furniture.Cabinet(fridge.Frame, 0.62f, 0.65f, 1.85f);
        }
        if (zone.Area > 12f) TableGroup(space, zone, rug: false);
    }

    private void CorridorGroup(RoomSpace space, PlanRect zone)
    {
        var alongX = zone.Size.X >= zone.Size.Y;
        var length = MathF.Max(zone.Size.X, zone.Size.Y);
        Rug(space, zone.Center, alongX ? Vector2.UnitY : Vector2.UnitX, length - U(1.0f, 2.0f), U(0.6f, 0.8f));
        var w = U(0.8f, 1.2f);
        if (rng.Next(2) == 0 && AgainstWall(space, zone, w, 0.3f, 0.9f, out var console)) furniture.Cabinet(console.Frame, w, 0.3f, 0.9f);
    }
}

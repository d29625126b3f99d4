using System.Numerics;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Scenes;

/// <summary>
/// What is fixed to the shell: door casings and open door leaves, window frames and sills with a bright
/// <see cref="Surface.Window"/> view a little outside (so a window does not show the void), and a ceiling
/// light in every cell of every room, each giving a <see cref="SceneLight"/> just below it.
/// </summary>
internal sealed class ShellFittings(MeshBuilder builder, Palette palette, Random rng, FloorPlan plan)
{
    private const float T = Wall.Thickness;
    private const float CasingM = 0.07f, CasingDepthM = 0.015f, LeafM = 0.04f;
    /// <summary>How far outside the wall the window's view sits, and how far it overlaps the opening on
    /// each side, so that oblique views through the window still land on it.</summary>
    private const float ViewOffsetM = 0.3f, ViewMarginM = 0.6f;

    /// <summary>The plan area an open leaf may cover (it opens 90-100 degrees), for keeping furniture and
    /// the walking path off it.</summary>
    public static PlanRect LeafFootprint(Wall wall, Opening door)
    {
        var hinge = door.Hinge < 0 ? door.From : door.To;
        var reach = door.Width + 0.05f;
        var a = wall.Point(hinge - door.Hinge * 0.01f, door.LeafSide * T / 2);
        var b = wall.Point(hinge + door.Hinge * (LeafM + 0.2f), door.LeafSide * (T / 2 + reach));
        return new PlanRect(Vector2.Min(a, b), Vector2.Max(a, b));
    }

    public void Build(List<SceneLight> lights)
    {
        var trim = palette.Main(Surface.Skirting);
        var leaf = palette.Main(Surface.PaintedFurniture);
        var metal = palette.Main(Surface.Metal);
        var view = palette.Main(Surface.Window);
        foreach (var wall in plan.Walls)
        foreach (var o in wall.Openings)
        {
            if (o.Kind == OpeningKind.Door) AddDoor(wall, o, trim, leaf, metal);
            if (o.Kind == OpeningKind.Window) AddWindow(wall, o, trim, view);
        }
        var fitting = palette.Main(Surface.LampShade);
        var warmth = new Vector3(1, 0.9f + 0.07f * rng.NextSingle(), 0.75f + 0.15f * rng.NextSingle());
        foreach (var room in plan.Rooms)
        foreach (var cell in room.Cells)
            lights.Add(AddCeilingLight(cell.Center, room.Type, fitting, warmth));
    }

    private Vector3 At(Wall wall, float along, float offset, float y)
    {
        var p = wall.Point(along, offset);
        return new Vector3(p.X, y, p.Y);
    }

    /// <summary>A box on a wall: <paramref name="a0"/>..<paramref name="a1"/> along it, <paramref name="o0"/>..<paramref name="o1"/> off its centre line.</summary>
    private void WallBox(Wall wall, float a0, float a1, float o0, float o1, float y0, float y1, int material)
    {
        Vector3 p = At(wall, a0, o0, y0), q = At(wall, a1, o1, y1);
        builder.AddBox(Vector3.Min(p, q), Vector3.Max(p, q), material, Vector3.One, 0.5f);
    }

    private void AddDoor(Wall wall, Opening door, int trim, int leaf, int metal)
    {
        foreach (var side in new[] { -1, 1 })
        {
            float o0 = side * T / 2, o1 = side * (T / 2 + CasingDepthM);
            WallBox(wall, door.From - CasingM, door.From, o0, o1, 0, door.Top + CasingM, trim);
            WallBox(wall, door.To, door.To + CasingM, o0, o1, 0, door.Top + CasingM, trim);
            WallBox(wall, door.From, door.To, o0, o1, door.Top, door.Top + CasingM, trim);
        }
        if (door.LeafSide == 0) return;
        // Open 90-100 degrees: perpendicular to the wall, turned a little further, away from the doorway.
        var hingeAlong = door.Hinge < 0 ? door.From - 0.025f : door.To + 0.025f;
        var hinge = At(wall, hingeAlong, door.LeafSide * (T / 2 + CasingDepthM + 0.01f), 0.01f);
        var e = wall.AlongX ? Vector3.UnitX : Vector3.UnitZ;
        var n = (wall.AlongX ? Vector3.UnitZ : Vector3.UnitX) * door.LeafSide;
        var turn = 0.17f * rng.NextSingle();
        var direction = MathF.Cos(turn) * n + MathF.Sin(turn) * door.Hinge * e;
        var frame = new RigidPose(hinge, Quaternion.CreateFromAxisAngle(Vector3.UnitY, MathF.Atan2(-direction.Z, direction.X)));
        var width = door.Width - 0.01f;
        builder.AddBox(frame, new Vector3(0, 0, -LeafM / 2), new Vector3(width, door.Top - 0.02f, LeafM / 2), leaf, Vector3.One);
        builder.AddBox(frame, new Vector3(width - 0.1f, 0.98f, -LeafM / 2 - 0.05f), new Vector3(width - 0.06f, 1.02f, LeafM / 2 + 0.05f), metal, Vector3.One);
    }

    private void AddWindow(Wall wall, Opening window, int trim, int view)
    {
        const float frame = 0.05f, depth = 0.035f;
        WallBox(wall, window.From, window.From + frame, -depth, depth, window.Bottom, window.Top, trim);
        WallBox(wall, window.To - frame, window.To, -depth, depth, window.Bottom, window.Top, trim);
        WallBox(wall, window.From, window.To, -depth, depth, window.Top - frame, window.Top, trim);
        WallBox(wall, window.From, window.To, -depth, depth, window.Bottom, window.Bottom + frame, trim);
        if (window.Width > 1.1f) WallBox(wall, window.Center - frame / 2, window.Center + frame / 2, -depth, depth, window.Bottom, window.Top, trim);
        var inside = wall.Below >= 0 ? -1 : 1;
        WallBox(wall, window.From - 0.06f, window.To + 0.06f, 0, inside * (T / 2 + 0.05f), window.Bottom - 0.03f, window.Bottom, trim);
        // The view faces the room, outside the wall, larger than the opening.
        var o = -inside * (T / 2 + ViewOffsetM);
        float a = window.From - ViewMarginM, b = window.To + ViewMarginM;
        float y0 = MathF.Max(0, window.Bottom - ViewMarginM), y1 = window.Top + ViewMarginM;
        var towardsRoom = new Vector3(wall.Normal(inside).X, 0, wall.Normal(inside).Y);
        builder.AddPicture(At(wall, window.Center, o, (y0 + y1) / 2), towardsRoom, b - a, y1 - y0, view, Vector3.One);
    }

    /// <summary>A round fitting, or a square panel in kitchens and offices, flush with the ceiling.</summary>
    private SceneLight AddCeilingLight(Vector2 center, RoomType type, int material, Vector3 warmth)
    {
        var h = plan.CeilingHeight;
        var c = new Vector3(center.X, h, center.Y);
        float drop;
        if (type is RoomType.Kitchen or RoomType.Office)
        {
            var half = 0.25f + 0.05f * rng.NextSingle();
            drop = 0.04f;
            builder.AddBox(c - new Vector3(half, drop, half), c + new Vector3(half, 0, half), material, Vector3.One, 0.5f);
        }
        else
        {
            drop = 0.05f + 0.05f * rng.NextSingle();
            builder.AddTube(c, c - new Vector3(0, drop, 0), 0.12f, 0.16f + 0.1f * rng.NextSingle(), 12, material, Vector3.One);
        }
        return new SceneLight(c - new Vector3(0, drop + 0.05f, 0), warmth, 2f + rng.NextSingle(), 0.3f);
    }
}

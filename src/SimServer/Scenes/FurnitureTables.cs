using System.Numerics;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Scenes;

/// <summary>Tables, desks, nightstands, the TV on its unit and kitchen counters, with what stands on them.</summary>
internal sealed partial class Furniture
{
    /// <summary>A dining or kitchen table, 0.72-0.76 m high, with a few things on it.</summary>
    public void Table(RigidPose frame, float width, float depth)
    {
        var wood = Pick(Surface.WoodFurniture);
        var top = U(0.72f, 0.76f);
        Box(frame, new Vector3(-width / 2, top - 0.035f, -depth / 2), new Vector3(width / 2, top, depth / 2), wood);
        Legs(frame, width, depth, top - 0.035f, 0.05f, 0.04f, wood);
        Clutter(On(frame, new Vector3(0, top, 0)), width * 0.6f, depth * 0.5f, rng.Next(0, 4));
    }

    /// <summary>A low table (0.4-0.45 m) for in front of a sofa, sometimes with a shelf under it.</summary>
    public void CoffeeTable(RigidPose frame, float width, float depth)
    {
        var wood = Pick(Surface.WoodFurniture);
        var top = U(0.4f, 0.45f);
        Box(frame, new Vector3(-width / 2, top - 0.04f, -depth / 2), new Vector3(width / 2, top, depth / 2), wood);
        Legs(frame, width, depth, top - 0.04f, 0.045f, 0.02f, wood);
        if (rng.Next(2) == 0) Box(frame, new Vector3(-width / 2 + 0.05f, 0.1f, -depth / 2 + 0.05f), new Vector3(width / 2 - 0.05f, 0.12f, depth / 2 - 0.05f), wood);
        Clutter(On(frame, new Vector3(0, top, 0)), width * 0.7f, depth * 0.6f, rng.Next(1, 4));
    }

    /// <summary>A desk with a drawer pedestal, a monitor (its screen a <see cref="Surface.Screen"/> quad), a keyboard and a mouse.</summary>
    public void Desk(RigidPose frame, float width, float depth)
    {
        var body = Pick(rng.Next(2) == 0 ? Surface.WoodFurniture : Surface.PaintedFurniture);
        var plastic = Pick(Surface.Plastic);
        const float top = 0.74f;
        float w = width / 2, d = depth / 2;
        Box(frame, new Vector3(-w, top - 0.03f, -d), new Vector3(w, top, d), body);
        var side = rng.Next(2) == 0 ? -1 : 1;
        Box(frame, new Vector3(side < 0 ? -w : w - 0.42f, 0, -d + 0.02f), new Vector3(side < 0 ? -w + 0.42f : w, top - 0.03f, d), body);
        for (var i = 0; i < 3; i++) // drawer handles on the pedestal's front
            Box(frame, new Vector3(side * (w - 0.21f) - 0.06f, 0.15f + 0.2f * i, -d), new Vector3(side * (w - 0.21f) + 0.06f, 0.17f + 0.2f * i, -d + 0.02f), palette.Main(Surface.Metal));
        var panel = side < 0 ? w - 0.03f : -w; // the far end stands on a side panel
        Box(frame, new Vector3(panel, 0, -d + 0.05f), new Vector3(panel + 0.03f, top - 0.03f, d - 0.05f), body);
        float sw = U(0.5f, 0.7f), sh = sw * U(0.55f, 0.62f), sy = top + U(0.1f, 0.15f), sz = d - U(0.15f, 0.25f);
        Box(frame, new Vector3(-0.1f, top, sz - 0.06f), new Vector3(0.1f, top + 0.01f, sz + 0.06f), plastic);
        Box(frame, new Vector3(-0.025f, top, sz), new Vector3(0.025f, sy + 0.05f, sz + 0.02f), plastic);
        Box(frame, new Vector3(-sw / 2, sy, sz - 0.035f), new Vector3(sw / 2, sy + sh, sz), plastic);
        var screen = frame.TransformPoint(new Vector3(0, sy + sh / 2, sz - 0.036f));
        AddScreenQuad(frame, screen, sw - 0.03f, sh - 0.03f);
        Box(frame, new Vector3(-0.22f, top, -d + 0.08f), new Vector3(0.22f, top + 0.025f, -d + 0.22f), plastic);
        Box(frame, new Vector3(0.3f, top, -d + 0.12f), new Vector3(0.36f, top + 0.03f, -d + 0.22f), plastic);
        if (rng.Next(2) == 0) TableLamp(On(frame, new Vector3(-side * (w - 0.2f), top, d - 0.2f)));
    }

    /// <summary>A bedside table with two drawers and, usually, a lamp.</summary>
    public void Nightstand(RigidPose frame, float width, float depth)
    {
        var body = Pick(Surface.WoodFurniture);
        const float h = 0.55f;
        Box(frame, new Vector3(-width / 2, 0.06f, -depth / 2), new Vector3(width / 2, h, depth / 2), body);
        Legs(frame, width, depth, 0.06f, 0.04f, 0.01f, body);
        foreach (var y in new[] { 0.22f, 0.42f })
            Box(frame, new Vector3(-0.05f, y, -depth / 2 - 0.02f), new Vector3(0.05f, y + 0.02f, -depth / 2), palette.Main(Surface.Metal));
        if (rng.NextSingle() < 0.8f) TableLamp(On(frame, new Vector3(0, h, 0.03f)));
        else Item(On(frame, new Vector3(0, h, 0)), MathF.Min(width, depth) * 0.7f);
    }

    /// <summary>A low unit (0.45-0.55 m) with a TV on a foot; the TV's face is a <see cref="Surface.Screen"/> quad.</summary>
    public void TvUnit(RigidPose frame, float width, float depth)
    {
        var body = Pick(rng.Next(2) == 0 ? Surface.WoodFurniture : Surface.PaintedFurniture);
        var plastic = palette.Main(Surface.Plastic);
        var h = U(0.45f, 0.55f);
        Box(frame, new Vector3(-width / 2, 0.05f, -depth / 2), new Vector3(width / 2, h, depth / 2), body);
        Legs(frame, width, depth, 0.05f, 0.04f, 0.02f, body);
        float tw = MathF.Min(width - 0.2f, U(0.95f, 1.45f)), th = tw * 0.58f;
        Box(frame, new Vector3(-0.15f, h, -0.1f), new Vector3(0.15f, h + 0.015f, 0.1f), plastic);
        Box(frame, new Vector3(-0.03f, h, 0), new Vector3(0.03f, h + 0.12f, 0.03f), plastic);
        Box(frame, new Vector3(-tw / 2, h + 0.08f, -0.03f), new Vector3(tw / 2, h + 0.08f + th, 0.02f), plastic);
        AddScreenQuad(frame, frame.TransformPoint(new Vector3(0, h + 0.08f + th / 2, -0.031f)), tw - 0.03f, th - 0.03f);
        Clutter(On(frame, new Vector3(0, h, -depth / 4)), width - tw - 0.1f > 0.3f ? width : 0, 0.15f, rng.Next(0, 3));
    }

    /// <summary>A run of kitchen base cabinets (0.9 m worktop, recessed plinth, doors with handles), with
    /// wall cabinets above when the ceiling allows and things on the worktop.</summary>
    public void KitchenCounter(RigidPose frame, float width, float depth, float ceiling)
    {
        var front = Pick(Surface.PaintedFurniture);
        var worktop = Pick(rng.Next(2) == 0 ? Surface.WoodFurniture : Surface.Ceramic);
        var metal = palette.Main(Surface.Metal);
        float w = width / 2, d = depth / 2;
        Box(frame, new Vector3(-w, 0, -d + 0.06f), new Vector3(w, 0.1f, d), palette.Main(Surface.Plastic));
        Box(frame, new Vector3(-w, 0.1f, -d + 0.02f), new Vector3(w, 0.86f, d), front);
        Box(frame, new Vector3(-w, 0.86f, -d - 0.02f), new Vector3(w, 0.9f, d), worktop);
        var doors = Math.Max(1, (int)(width / 0.5f));
        var span = width / doors;
        for (var i = 0; i < doors; i++)
        {
            float x0 = -w + span * i + 0.004f, x1 = x0 + span - 0.008f;
            Box(frame, new Vector3(x0, 0.12f, -d), new Vector3(x1, 0.84f, -d + 0.02f), front);
            var hx = i % 2 == 0 ? x1 - 0.05f : x0 + 0.04f;
            Box(frame, new Vector3(hx, 0.62f, -d - 0.025f), new Vector3(hx + 0.01f, 0.78f, -d), metal);
        }
        if (ceiling - 0.9f > 1.3f)
        {
            float y0 = 1.45f, y1 = MathF.Min(2.15f, ceiling - 0.05f);
            Box(frame, new Vector3(-w, y0, d - 0.35f), new Vector3(w, y1, d), front);
            for (var i = 0; i < doors; i++)
                Box(frame, new Vector3(-w + span * i + 0.004f, y0 + 0.01f, d - 0.37f), new Vector3(-w + span * (i + 1) - 0.004f, y1 - 0.01f, d - 0.35f), front);
        }
        Clutter(On(frame, new Vector3(0, 0.9f, 0)), width - 0.2f, depth - 0.2f, (int)(width / 0.35f));
    }

    private void AddScreenQuad(RigidPose frame, Vector3 center, float width, float height) =>
        builder.AddPicture(center, frame.Forward, width, height, palette.Main(Surface.Screen), White);
}

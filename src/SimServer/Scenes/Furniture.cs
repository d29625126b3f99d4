using System.Numerics;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Scenes;

/// <summary>
/// The parametric furniture library, at real proportions. Every piece is built in its own frame: origin on
/// the floor at the centre of its footprint, x across its width, y up, and its front facing -z (the way
/// <see cref="RigidPose.Forward"/> looks), so a piece against a wall has its back at +z. Sizes come in
/// from <see cref="Furnishing"/>, which needs them to place the piece; details (legs, handles, cushions)
/// are drawn here. This file holds the shared helpers and the small clutter.
/// </summary>
internal sealed partial class Furniture(MeshBuilder builder, Palette palette, Random rng, List<SceneLight> lights)
{
    private static readonly Vector3 White = Vector3.One;

    private float U(float lo, float hi) => lo + (hi - lo) * rng.NextSingle();

    private int Pick(Surface surface) => palette.Pick(surface, rng);

    private void Box(RigidPose frame, Vector3 min, Vector3 max, int material, Vector3? color = null) =>
        builder.AddBox(frame, min, max, material, color ?? White);

    private void Tube(RigidPose frame, Vector3 from, Vector3 to, float r0, float r1, int segments, int material, bool caps = true) =>
        builder.AddTube(frame.TransformPoint(from), frame.TransformPoint(to), r0, r1, segments, material, White, caps);

    /// <summary>Four square legs at the corners of a <paramref name="width"/> x <paramref name="depth"/> footprint, inset by <paramref name="inset"/>.</summary>
    private void Legs(RigidPose frame, float width, float depth, float height, float thickness, float inset, int material)
    {
        float x = width / 2 - inset - thickness, z = depth / 2 - inset - thickness;
        foreach (var (sx, sz) in new[] { (-1, -1), (1, -1), (-1, 1), (1, 1) })
        {
            var c = new Vector3(sx * (x + thickness / 2), 0, sz * (z + thickness / 2));
            Box(frame, c - new Vector3(thickness / 2, 0, thickness / 2), c + new Vector3(thickness / 2, height, thickness / 2), material);
        }
    }

    /// <summary>The frame of a point on a piece's top: <paramref name="local"/> in the piece's frame, same orientation.</summary>
    private static RigidPose On(RigidPose frame, Vector3 local) => frame with { Position = frame.TransformPoint(local) };

    /// <summary>Small things (books, boxes, cups, bowls, bottles) spread along a <paramref name="width"/> x
    /// <paramref name="depth"/> surface at the origin of <paramref name="top"/>, each in its own slot so none overlap.</summary>
    public void Clutter(RigidPose top, float width, float depth, int count)
    {
        if (count <= 0) return;
        var slot = width / count;
        for (var i = 0; i < count; i++)
        {
            if (rng.NextSingle() < 0.25f) continue;
            var room = MathF.Min(slot, depth) * 0.8f;
            var at = On(top, new Vector3(-width / 2 + slot * (i + 0.5f), 0, U(-0.2f, 0.2f) * MathF.Max(0, depth - room)));
            Item(at, room);
        }
    }

    /// <summary>One small thing no wider than <paramref name="room"/>, standing at the origin of <paramref name="at"/>.</summary>
    public void Item(RigidPose at, float room)
    {
        switch (rng.Next(5))
        {
            case 0: // a stack of lying books
                var y = 0f;
                for (int n = rng.Next(1, 4), i = 0; i < n; i++)
                {
                    float w = MathF.Min(room, U(0.15f, 0.24f)) / 2, d = MathF.Min(room, U(0.12f, 0.17f)) / 2, t = U(0.02f, 0.05f);
                    Box(at, new Vector3(-w, y, -d), new Vector3(w, y + t, d), Pick(Surface.BookSpines), BookColor());
                    y += t;
                }
                break;
            case 1: // a box
                var s = MathF.Min(room, U(0.1f, 0.3f)) / 2;
                Box(at, new Vector3(-s, 0, -s * 0.8f), new Vector3(s, U(0.08f, 0.25f), s * 0.8f), Pick(U(0, 1) < 0.5f ? Surface.PaintedFurniture : Surface.Plastic));
                break;
            case 2: // a cup
                Tube(at, Vector3.Zero, new Vector3(0, U(0.08f, 0.11f), 0), 0.035f, 0.042f, 8, Pick(Surface.Ceramic));
                break;
            case 3: // a bowl
                Tube(at, Vector3.Zero, new Vector3(0, U(0.05f, 0.08f), 0), 0.05f, MathF.Min(room / 2, U(0.08f, 0.13f)), 10, Pick(Surface.Ceramic));
                break;
            default: // a bottle: body and neck
                var h = U(0.2f, 0.32f);
                var r = U(0.03f, 0.04f);
                var material = Pick(rng.Next(2) == 0 ? Surface.Plastic : Surface.Ceramic);
                Tube(at, Vector3.Zero, new Vector3(0, h * 0.7f, 0), r, r, 8, material);
                Tube(at, new Vector3(0, h * 0.7f, 0), new Vector3(0, h, 0), r, 0.012f, 8, material);
                break;
        }
    }

    /// <summary>Books differ in colour: the shared spine texture tinted per book through its vertex colour.</summary>
    private Vector3 BookColor() => new(U(0.3f, 1), U(0.3f, 1), U(0.3f, 1));
}

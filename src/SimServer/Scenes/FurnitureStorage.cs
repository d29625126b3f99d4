using System.Numerics;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Scenes;

/// <summary>Bookshelves with books and objects, and cabinets, wardrobes and sideboards with doors and handles.</summary>
internal sealed partial class Furniture
{
    /// <summary>An open bookshelf: sides, back, top and boards about every 0.35 m, the boards partly filled
    /// with upright books (a <see cref="Surface.BookSpines"/> texture tinted per book) and the odd object.</summary>
    public void Bookshelf(RigidPose frame, float width, float depth, float height)
    {
        var wood = Pick(rng.Next(3) == 0 ? Surface.PaintedFurniture : Surface.WoodFurniture);
        const float t = 0.02f;
        float w = width / 2, d = depth / 2;
        Box(frame, new Vector3(-w, 0, -d), new Vector3(-w + t, height, d), wood);
        Box(frame, new Vector3(w - t, 0, -d), new Vector3(w, height, d), wood);
        Box(frame, new Vector3(-w + t, 0, d - 0.01f), new Vector3(w - t, height, d), wood);
        var boards = Math.Max(2, (int)MathF.Round((height - 0.1f) / 0.35f));
        var pitch = (height - t) / boards;
        for (var i = 0; i <= boards; i++)
        {
            var y = i == 0 ? 0.06f : pitch * i;
            Box(frame, new Vector3(-w + t, y - t, -d), new Vector3(w - t, y, d - 0.01f), wood);
            if (i < boards) FillShelf(frame, y, -w + t + 0.01f, w - t - 0.01f, d, MathF.Min(pitch - t - 0.02f, 0.34f));
        }
    }

    /// <summary>Runs of upright books from <paramref name="x0"/> to <paramref name="x1"/> on a board at
    /// <paramref name="y"/>, with gaps, an object now and then, and sometimes a book leaning over.</summary>
    private void FillShelf(RigidPose frame, float y, float x0, float x1, float d, float clearance)
    {
        var x = x0 + U(0, 0.15f);
        while (x < x1 - 0.03f)
        {
            if (rng.NextSingle() < 0.12f && x1 - x > 0.2f)
            {
                Item(On(frame, new Vector3(x + 0.09f, y, 0)), 0.16f);
                x += 0.2f;
                continue;
            }
            for (int n = rng.Next(4, 14), i = 0; i < n && x < x1 - 0.02f; i++)
            {
                var thick = MathF.Min(U(0.018f, 0.05f), x1 - x);
                var h = MathF.Min(clearance, U(0.17f, 0.3f));
                var bookDepth = MathF.Min(2 * d - 0.04f, U(0.13f, 0.22f));
                Box(frame, new Vector3(x, y, -d + 0.01f), new Vector3(x + thick, y + h, -d + 0.01f + bookDepth), Pick(Surface.BookSpines), BookColor());
                x += thick + 0.002f;
            }
            x += U(0.03f, 0.25f);
        }
    }

    /// <summary>A closed cabinet (a wardrobe when tall, a sideboard when low): body, one door per ~0.5 m with
    /// a gap between doors, a handle on each, and clutter on top when it is low enough to see.</summary>
    public void Cabinet(RigidPose frame, float width, float depth, float height)
    {
        var body = Pick(rng.Next(2) == 0 ? Surface.WoodFurniture : Surface.PaintedFurniture);
        var metal = palette.Main(Surface.Metal);
        float w = width / 2, d = depth / 2;
        const float plinth = 0.08f;
        Box(frame, new Vector3(-w + 0.03f, 0, -d + 0.05f), new Vector3(w - 0.03f, plinth, d), body);
        Box(frame, new Vector3(-w, plinth, -d + 0.02f), new Vector3(w, height, d), body);
        var doors = Math.Max(1, (int)MathF.Round(width / 0.5f));
        var span = width / doors;
        for (var i = 0; i < doors; i++)
        {
            float x0 = -w + span * i + 0.004f, x1 = x0 + span - 0.008f;
            Box(frame, new Vector3(x0, plinth + 0.01f, -d), new Vector3(x1, height - 0.01f, -d + 0.02f), body);
            var hx = i % 2 == 0 ? x1 - 0.05f : x0 + 0.04f;
            var hy = MathF.Min(1.0f, height * 0.6f);
            Box(frame, new Vector3(hx, hy - 0.08f, -d - 0.03f), new Vector3(hx + 0.012f, hy + 0.08f, -d), metal);
        }
        if (height < 1.3f) Clutter(On(frame, new Vector3(0, height, 0)), width * 0.8f, depth * 0.6f, rng.Next(1, 4));
    }
}

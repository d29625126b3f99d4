using System.Numerics;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Scenes;

/// <summary>
/// Seeded indoor layouts: a grid of 2-6 rooms (3-8 m each way) with walls, doors, textured floors
/// and ceilings, furniture (tables with thin legs, cabinets, open shelves, floor lamps, sofas) and
/// one exterior wall left open, so there is always a place to look out into the void.
/// The same seed gives the same mesh, vertex for vertex.
/// </summary>
public static class ProceduralLayout
{
    private const float WallThickness = 0.1f;
    private const float DoorWidth = 0.9f;
    private const float DoorHeight = 2.1f;
    private static readonly Vector3 White = Vector3.One;

    public static SceneMesh Generate(ulong seed, float maxCellSize = float.PositiveInfinity)
    {
        var rng = Seeded.Random(seed);
        var builder = new MeshBuilder { MaxCellSize = maxCellSize };
        int cols = rng.Next(2, 4), rows = rng.Next(1, 3);
        var xs = Cumulative(rng, cols);
        var zs = Cumulative(rng, rows);
        var height = 2.6f + 0.4f * rng.NextSingle();
        var doors = new List<Vector2>();

        var segments = WallSegments(xs, zs);
        var open = rng.Next(segments.Count(s => s.Exterior));
        var wallMaterial = builder.AddMaterial(new Material(White, ProceduralTextures.Plaster(rng)));
        var exterior = 0;
        foreach (var s in segments)
        {
            if (s.Exterior && exterior++ == open) continue;
            float? door = s.Exterior ? null : s.From + 0.8f + (s.To - s.From - 1.6f) * rng.NextSingle();
            AddWall(builder, s, door, height, wallMaterial);
            if (door is { } d) doors.Add(s.AlongX ? new Vector2(d, s.At) : new Vector2(s.At, d));
        }

        for (var c = 0; c < cols; c++)
        for (var r = 0; r < rows; r++)
        {
            var min = new Vector2(xs[c], zs[r]);
            var max = new Vector2(xs[c + 1], zs[r + 1]);
            var floorTexture = rng.Next(2) == 0 ? ProceduralTextures.WoodPlanks(rng) : ProceduralTextures.Tiles(rng);
            var floor = builder.AddMaterial(new Material(White, floorTexture));
            builder.AddQuad(new(min.X, 0, max.Y), new(max.X, 0, max.Y), new(max.X, 0, min.Y), new(min.X, 0, min.Y), floor, White, 2f);
            var ceiling = builder.AddMaterial(new Material(new Vector3(0.95f), ProceduralTextures.Plaster(rng)));
            builder.AddQuad(new(min.X, height, min.Y), new(max.X, height, min.Y), new(max.X, height, max.Y), new(min.X, height, max.Y), ceiling, White, 3f);
            Furnish(builder, rng, min, max, doors);
        }
        return builder.Build();
    }

    private static float[] Cumulative(Random rng, int count)
    {
        var edges = new float[count + 1];
        for (var i = 0; i < count; i++) edges[i + 1] = edges[i] + 3f + 5f * rng.NextSingle();
        return edges;
    }

    /// <summary>A wall on a grid line: along x at z = At (or along z at x = At), from From to To.</summary>
    private readonly record struct WallSegment(bool AlongX, float At, float From, float To, bool Exterior);

    private static List<WallSegment> WallSegments(float[] xs, float[] zs)
    {
        var segments = new List<WallSegment>();
        for (var i = 0; i < zs.Length; i++)
        for (var c = 0; c + 1 < xs.Length; c++)
            segments.Add(new WallSegment(true, zs[i], xs[c], xs[c + 1], i == 0 || i == zs.Length - 1));
        for (var i = 0; i < xs.Length; i++)
        for (var r = 0; r + 1 < zs.Length; r++)
            segments.Add(new WallSegment(false, xs[i], zs[r], zs[r + 1], i == 0 || i == xs.Length - 1));
        return segments;
    }

    private static void AddWall(MeshBuilder builder, WallSegment s, float? door, float height, int material)
    {
        void Piece(float from, float to, float y0, float y1)
        {
            if (to - from < 1e-3f) return;
            const float h = WallThickness / 2;
            var min = s.AlongX ? new Vector3(from, y0, s.At - h) : new Vector3(s.At - h, y0, from);
            var max = s.AlongX ? new Vector3(to, y1, s.At + h) : new Vector3(s.At + h, y1, to);
            builder.AddBox(min, max, material, White, 2f);
        }
        if (door is not { } d)
        {
            Piece(s.From, s.To, 0, height);
            return;
        }
        Piece(s.From, d - DoorWidth / 2, 0, height);
        Piece(d + DoorWidth / 2, s.To, 0, height);
        Piece(d - DoorWidth / 2, d + DoorWidth / 2, DoorHeight, height);
    }

    private static void Furnish(MeshBuilder builder, Random rng, Vector2 min, Vector2 max, List<Vector2> doors)
    {
        var placed = new List<(Vector2 Min, Vector2 Max)>();
        var items = rng.Next(2, 6);
        for (int attempt = 0, made = 0; attempt < 40 && made < items; attempt++)
        {
            var kind = rng.Next(5);
            var size = kind switch
            {
                0 => new Vector2(0.8f + 0.8f * rng.NextSingle(), 0.6f + 0.4f * rng.NextSingle()), // table
                1 => new Vector2(0.5f + 0.7f * rng.NextSingle(), 0.4f + 0.2f * rng.NextSingle()), // cabinet
                2 => new Vector2(0.8f + 0.6f * rng.NextSingle(), 0.3f),                           // shelf
                3 => new Vector2(0.4f, 0.4f),                                                      // lamp
                _ => new Vector2(1.6f + 0.6f * rng.NextSingle(), 0.8f + 0.2f * rng.NextSingle()), // sofa
            };
            const float margin = 0.12f;
            var lo = new Vector2(min.X + margin + (max.X - min.X - 2 * margin - size.X) * rng.NextSingle(),
                                 min.Y + margin + (max.Y - min.Y - 2 * margin - size.Y) * rng.NextSingle());
            var hi = lo + size;
            // Keep doorways and the space in front of them clear so the rooms stay connected.
            if (doors.Any(d => Vector2.Distance(Vector2.Clamp(d, lo, hi), d) < 1.2f)) continue;
            if (placed.Any(p => lo.X < p.Max.X + 0.3f && p.Min.X < hi.X + 0.3f && lo.Y < p.Max.Y + 0.3f && p.Min.Y < hi.Y + 0.3f)) continue;
            placed.Add((lo, hi));
            made++;
            var texture = kind is 1 or 2 ? ProceduralTextures.WoodPlanks(rng) : ProceduralTextures.Fabric(rng);
            var material = builder.AddMaterial(new Material(White, texture));
            AddFurniture(builder, rng, kind, lo, hi, material);
        }
    }

    private static void AddFurniture(MeshBuilder b, Random rng, int kind, Vector2 lo, Vector2 hi, int material)
    {
        Vector3 At(Vector2 p, float y) => new(p.X, y, p.Y);
        switch (kind)
        {
            case 0: // table: a slab on four thin legs
            {
                var top = 0.72f + 0.05f * rng.NextSingle();
                b.AddBox(At(lo, top - 0.04f), At(hi, top), material, White, 0.5f);
                const float leg = 0.04f;
                foreach (var (x, z) in new[] { (lo.X, lo.Y), (hi.X - leg, lo.Y), (lo.X, hi.Y - leg), (hi.X - leg, hi.Y - leg) })
                    b.AddBox(new Vector3(x, 0, z), new Vector3(x + leg, top - 0.04f, z + leg), material, White, 0.5f);
                break;
            }
            case 1: // cabinet
                b.AddBox(At(lo, 0), At(hi, 0.8f + 1.2f * rng.NextSingle()), material, White, 0.5f);
                break;
            case 2: // open shelf: two side panels and thin boards
            {
                var h = 1.4f + 0.6f * rng.NextSingle();
                const float t = 0.025f;
                b.AddBox(At(lo, 0), new Vector3(lo.X + t, h, hi.Y), material, White, 0.5f);
                b.AddBox(new Vector3(hi.X - t, 0, lo.Y), At(hi, h), material, White, 0.5f);
                for (var y = 0.05f; y < h; y += 0.4f)
                    b.AddBox(new Vector3(lo.X + t, y, lo.Y), new Vector3(hi.X - t, y + t, hi.Y), material, White, 0.5f);
                break;
            }
            case 3: // floor lamp: thin pole and a shade
            {
                var c = (lo + hi) / 2;
                b.AddCylinder(At(c, 0), 0.15f, 0.03f, 16, material, White);
                b.AddCylinder(At(c, 0), 0.015f, 1.5f, 8, material, White);
                b.AddCylinder(At(c, 1.45f), 0.18f, 0.3f, 16, material, new Vector3(1f, 0.95f, 0.8f));
                break;
            }
            default: // sofa: seat and back
                b.AddBox(At(lo, 0), At(hi, 0.45f), material, White, 0.5f);
                b.AddBox(At(lo, 0.45f), new Vector3(hi.X, 0.85f, lo.Y + 0.2f), material, White, 0.5f);
                break;
        }
    }
}

using System.Numerics;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Scenes;

/// <summary>Plants, lamps (each shade gives a <see cref="SceneLight"/>), rugs and pictures on walls.</summary>
internal sealed partial class Furniture
{
    private static readonly Vector3 LampLight = new(1f, 0.88f, 0.7f);

    /// <summary>A potted plant <paramref name="height"/> tall: a ceramic pot, soil, a stem and blobs of leaves.</summary>
    public void Plant(RigidPose frame, float height)
    {
        var potH = MathF.Max(0.1f, height * U(0.2f, 0.3f));
        var potR = MathF.Max(0.06f, height * U(0.12f, 0.17f));
        Tube(frame, Vector3.Zero, new Vector3(0, potH, 0), potR * 0.75f, potR, 10, Pick(Surface.Ceramic));
        Tube(frame, new Vector3(0, potH - 0.02f, 0), new Vector3(0, potH - 0.01f, 0), potR * 0.95f, potR * 0.95f, 10, palette.Main(Surface.Soil));
        var leaves = Pick(Surface.Leaves);
        Tube(frame, new Vector3(0, potH - 0.02f, 0), new Vector3(0, height * 0.75f, 0), 0.012f, 0.008f, 5, leaves, caps: false);
        var crown = height - potH;
        for (int n = rng.Next(3, 7), i = 0; i < n; i++)
        {
            var angle = MathF.Tau * i / n + U(0, 1);
            var r = crown * U(0.1f, 0.3f);
            var y = potH + crown * U(0.45f, 0.8f);
            var radii = new Vector3(crown * U(0.15f, 0.25f), crown * U(0.12f, 0.22f), crown * U(0.15f, 0.25f));
            builder.AddEllipsoid(frame.TransformPoint(new Vector3(MathF.Cos(angle) * r, y, MathF.Sin(angle) * r)), radii, 4, 6, leaves, White);
        }
    }

    /// <summary>A floor lamp about 1.6 m tall: weighted base, pole and an open shade with its light inside.</summary>
    public void FloorLamp(RigidPose frame)
    {
        var metal = Pick(Surface.Metal);
        var height = U(1.45f, 1.7f);
        Tube(frame, Vector3.Zero, new Vector3(0, 0.03f, 0), 0.15f, 0.14f, 12, metal);
        Tube(frame, new Vector3(0, 0.03f, 0), new Vector3(0, height - 0.1f, 0), 0.012f, 0.012f, 6, metal, caps: false);
        Shade(frame, height - 0.3f, U(0.16f, 0.22f), 0.3f, U(0.8f, 1.2f));
    }

    /// <summary>A table lamp standing at the origin of <paramref name="frame"/> (on a table top).</summary>
    public void TableLamp(RigidPose frame)
    {
        var baseH = U(0.2f, 0.3f);
        Tube(frame, Vector3.Zero, new Vector3(0, baseH, 0), 0.06f, 0.035f, 10, Pick(Surface.Ceramic));
        Shade(frame, baseH - 0.02f, U(0.1f, 0.14f), 0.2f, U(0.4f, 0.6f));
    }

    /// <summary>An open conical shade from <paramref name="bottom"/> up, its light at its centre (open top and
    /// bottom, so the light shines out both ways as a real shade's does).</summary>
    private void Shade(RigidPose frame, float bottom, float radius, float height, float intensity)
    {
        Tube(frame, new Vector3(0, bottom, 0), new Vector3(0, bottom + height, 0), radius, radius * 0.7f, 12, Pick(Surface.LampShade), caps: false);
        lights.Add(new SceneLight(frame.TransformPoint(new Vector3(0, bottom + height / 2, 0)), LampLight, intensity, 0.15f));
    }

    /// <summary>A rug: a box a centimetre thick, flat enough to walk on.</summary>
    public void Rug(RigidPose frame, float width, float depth) =>
        Box(frame, new Vector3(-width / 2, 0, -depth / 2), new Vector3(width / 2, 0.012f, depth / 2), Pick(Surface.Rug));

    /// <summary>A framed poster or picture on a wall: <paramref name="frame"/> stands at the wall's face, facing
    /// the room, and the picture's centre is <paramref name="centerY"/> above the floor.</summary>
    public void Poster(RigidPose frame, float width, float height, float centerY)
    {
        var border = Pick(rng.Next(2) == 0 ? Surface.WoodFurniture : Surface.Metal);
        Box(frame, new Vector3(-width / 2 - 0.025f, centerY - height / 2 - 0.025f, -0.02f), new Vector3(width / 2 + 0.025f, centerY + height / 2 + 0.025f, 0), border);
        builder.AddPicture(frame.TransformPoint(new Vector3(0, centerY, -0.021f)), frame.Forward, width, height, palette.Pick(Surface.Poster, rng), White);
    }
}

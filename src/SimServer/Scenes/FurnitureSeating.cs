using System.Numerics;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Scenes;

/// <summary>Chairs, sofas and armchairs, and beds.</summary>
internal sealed partial class Furniture
{
    public const float ChairWidthM = 0.46f, ChairDepthM = 0.5f;

    /// <summary>A chair with its seat at 0.45 m, four legs and a backrest at +z.</summary>
    public void Chair(RigidPose frame)
    {
        var wood = Pick(rng.Next(3) == 0 ? Surface.PaintedFurniture : Surface.WoodFurniture);
        const float seat = 0.45f, w = ChairWidthM / 2, d = ChairDepthM / 2;
        Box(frame, new Vector3(-w, seat - 0.04f, -d), new Vector3(w, seat, d), wood);
        Legs(frame, ChairWidthM, ChairDepthM, seat - 0.04f, 0.035f, 0.01f, wood);
        if (rng.Next(2) == 0) Box(frame, new Vector3(-w + 0.03f, seat, -d + 0.03f), new Vector3(w - 0.03f, seat + 0.04f, d - 0.05f), Pick(Surface.Fabric));
        var top = U(0.82f, 0.95f);
        // Back posts carry on from the rear legs; a rail or a solid panel between them.
        foreach (var x0 in new[] { -w, w - 0.035f })
            Box(frame, new Vector3(x0, seat, d - 0.045f), new Vector3(x0 + 0.035f, top, d - 0.01f), wood);
        Box(frame, new Vector3(-w, top - U(0.1f, 0.3f), d - 0.04f), new Vector3(w, top, d - 0.015f), wood);
    }

    /// <summary>A sofa (or an armchair, when narrow): plinth, seat cushions, back cushions and arms.</summary>
    public void Sofa(RigidPose frame, float width, float depth)
    {
        var cover = Pick(rng.Next(4) == 0 ? Surface.Leather : Surface.Fabric);
        var feet = Pick(Surface.WoodFurniture);
        float w = width / 2, d = depth / 2, arm = U(0.12f, 0.2f), armTop = U(0.55f, 0.65f), back = U(0.18f, 0.24f);
        const float foot = 0.08f, seat = 0.44f;
        Legs(frame, width, depth, foot, 0.05f, 0.03f, feet);
        Box(frame, new Vector3(-w, foot, -d), new Vector3(w, 0.3f, d), cover);
        Box(frame, new Vector3(-w + arm, 0.3f, d - back), new Vector3(w - arm, U(0.8f, 0.9f), d), cover);
        foreach (var sx in new[] { -1, 1 })
            Box(frame, new Vector3(sx > 0 ? w - arm : -w, 0.3f, -d), new Vector3(sx > 0 ? w : -w + arm, armTop, d), cover);
        var cushions = Math.Max(1, (int)MathF.Round((width - 2 * arm) / 0.65f));
        var span = (width - 2 * arm) / cushions;
        for (var i = 0; i < cushions; i++)
        {
            float x0 = -w + arm + span * i + 0.005f, x1 = x0 + span - 0.01f;
            Box(frame, new Vector3(x0, 0.3f, -d + 0.02f), new Vector3(x1, seat, d - back), cover);
            Box(frame, new Vector3(x0 + 0.02f, seat, d - back - 0.14f), new Vector3(x1 - 0.02f, seat + U(0.3f, 0.38f), d - back), cover);
        }
    }

    /// <summary>A bed with its head at +z: frame on legs, mattress, duvet, pillows and a headboard at most
    /// <paramref name="headboardMax"/> high.</summary>
    public void Bed(RigidPose frame, float width, float length, float headboardMax)
    {
        var wood = Pick(rng.Next(3) == 0 ? Surface.PaintedFurniture : Surface.WoodFurniture);
        var linen = Pick(Surface.Fabric);
        float w = width / 2, l = length / 2;
        Legs(frame, width, length, 0.12f, 0.06f, 0.02f, wood);
        Box(frame, new Vector3(-w, 0.12f, -l), new Vector3(w, 0.32f, l - 0.05f), wood);
        Box(frame, new Vector3(-w + 0.03f, 0.32f, -l + 0.03f), new Vector3(w - 0.03f, 0.52f, l - 0.08f), palette.Main(Surface.Fabric));
        // The duvet hangs a little over the sides and covers the lower two thirds.
        Box(frame, new Vector3(-w - 0.01f, 0.3f, -l), new Vector3(w + 0.01f, 0.56f, l - length * 0.33f), linen);
        var pillows = width > 1.2f ? 2 : 1;
        var pw = (width - 0.2f) / pillows;
        for (var i = 0; i < pillows; i++)
            Box(frame, new Vector3(-w + 0.1f + pw * i + 0.02f, 0.52f, l - 0.55f), new Vector3(-w + 0.1f + pw * (i + 1) - 0.02f, 0.64f, l - 0.15f), linen);
        Box(frame, new Vector3(-w - 0.03f, 0, l - 0.05f), new Vector3(w + 0.03f, MathF.Min(headboardMax, U(0.95f, 1.2f)), l), wood);
    }
}

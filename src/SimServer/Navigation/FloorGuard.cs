using System.Numerics;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Navigation;

/// <summary>A scene the agent cannot walk: no floor at all (the protocol's FAILED_PRECONDITION).</summary>
public sealed class SceneWithoutFloorException(string message) : SceneFormatException(message);

/// <summary>
/// Refuses scenes before a session is built on them: ones that look stored on their side (an
/// indoor scene's largest horizontal plane is its floor; read with the wrong up axis, a wall takes
/// its place and the floor stands upright), and ones without a floor to walk on.
/// </summary>
public static class FloorGuard
{
    /// <summary>Trajectories need a path over 1 m, so less floor than this is no floor.</summary>
    public const float MinFloorM2 = 1f;
    /// <summary>Sideways when the largest horizontal plane is under this share of the largest vertical one.</summary>
    private const float SidewaysRatio = 0.5f;
    private const float PlaneBinM = 0.05f;

    /// <param name="axesGiven">the up axis was stated by the user, so orientation is not second-guessed</param>
    public static void Check(SceneMesh mesh, NavGrid grid, string orientation, bool axesGiven)
    {
        if (!axesGiven)
        {
            var (horizontal, vertical) = LargestPlanes(mesh);
            if (horizontal < SidewaysRatio * vertical)
                throw new SceneFormatException(
                    $"the scene looks stored on its side when read {orientation}: its largest horizontal surface is {horizontal:F1} m² " +
                    $"but a vertical one is {vertical:F1} m²; pass --up z or --up y (LoadScene's up) to say which axis is up");
        }
        if (grid.LargestIslandArea < MinFloorM2)
            throw new SceneWithoutFloorException(
                $"the scene has {grid.LargestIslandArea:F2} m² of connected walkable floor (at least {MinFloorM2} m² needed), read {orientation}: " +
                "it needs a horizontal floor with 1.9 m of headroom; if it is stored with another axis up, pass --up");
    }

    /// <summary>Area of the largest plane facing up/down and of the largest facing sideways (planes
    /// binned by axis and offset, so a floor split into tiles counts as one).</summary>
    private static (float Horizontal, float Vertical) LargestPlanes(SceneMesh mesh)
    {
        var planes = new Dictionary<(int Axis, int Offset), float>();
        for (var t = 0; t < mesh.TriangleCount; t++)
        {
            var n = mesh.FaceNormals[t];
            var axis = MathF.Abs(n.Y) > 0.9f ? 1 : MathF.Abs(n.X) > 0.9f ? 0 : MathF.Abs(n.Z) > 0.9f ? 2 : -1;
            if (axis < 0) continue;
            var (a, b, c) = mesh.Triangle(t);
            var centre = (a + b + c) / 3;
            var key = (axis, (int)MathF.Floor((axis == 0 ? centre.X : axis == 1 ? centre.Y : centre.Z) / PlaneBinM));
            planes[key] = planes.GetValueOrDefault(key) + Vector3.Cross(b - a, c - a).Length() / 2;
        }
        return (planes.Where(p => p.Key.Axis == 1).Select(p => p.Value).DefaultIfEmpty(0).Max(),
                planes.Where(p => p.Key.Axis != 1).Select(p => p.Value).DefaultIfEmpty(0).Max());
    }
}

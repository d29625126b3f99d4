using System.Numerics;
using DistDepth.SimServer.Geometry;
using DistDepth.SimServer.Scenes;

namespace DistDepth.SimServer.Rendering;

/// <summary>
/// A generated interior's lights baked into its vertex colours at load, in the same per-vertex pass as
/// <see cref="AmbientOcclusion"/>:
/// colour *= AO * (Ambient + sum over lights of Color * Intensity * max(0, cos) / (d^2 + Radius^2) * visibility),
/// with cos taken at the vertex normal of the side the occlusion was measured from, and visibility the share
/// of <see cref="ShadowRays"/> rays from the vertex to points on a disc of the light's radius that reach it
/// through the voxel grid (soft shadows under tables, behind sofas).
/// Calibration: a light of Intensity 2.5-4 and Radius 0.3 m, 2.3 m above the floor, gives the floor under it
/// 0.3 + 0.45-0.75 and a corner 4 m away 0.3 + 0.06-0.1 before occlusion; walls within a metre of it go over 1
/// (the hot spots of indoor photos) and the renderer clamps them. Lights have no direction, so a bare light
/// 0.3 m under a ceiling burns a halo of about a metre into it; a shade shadows it only where the shade is
/// over 1.5 voxels (15 cm) from the light, since rays stop that short. Hang lights at least two voxels
/// (0.2 m) clear of every surface, or the surface's own voxels shadow its neighbours. Gouraud interpolation
/// shows the falloff only where there are vertices: build rooms with MeshBuilder.MaxCellSize of 0.3-0.5 m.
/// </summary>
public static class LightBake
{
    /// <summary>Light reaching a vertex no fitting sees: the bounce light of a room whose walls are mid-grey to white.</summary>
    public const float Ambient = 0.3f;

    private const int ShadowRays = 4;
    /// <summary>Below this a light's contribution is under half an 8-bit step of a white surface: it is dropped, shadow rays and all.</summary>
    private const float Negligible = 1f / 512;
    private static readonly Vector2[] DiscPoints = AmbientOcclusion.HemisphereDirections(ShadowRays).Select(d => new Vector2(d.X, d.Y)).ToArray();

    public static SceneMesh Apply(SceneMesh mesh, IReadOnlyList<SceneLight> lights)
    {
        var grid = AmbientOcclusion.Grid(mesh);
        return AmbientOcclusion.Bake(mesh, grid, (p, n, occlusion) =>
        {
            var received = new Vector3(Ambient);
            foreach (var light in lights) received += Direct(grid, light, p, n);
            return occlusion * received;
        });
    }

    private static Vector3 Direct(VoxelGrid grid, SceneLight light, Vector3 p, Vector3 n)
    {
        var toLight = light.Position - p;
        var d2 = toLight.LengthSquared();
        var d = MathF.Sqrt(d2);
        var cos = d > 0 ? Vector3.Dot(n, toLight) / d : 1;
        if (cos <= 0) return Vector3.Zero;
        var irradiance = light.Intensity * cos / (d2 + light.Radius * light.Radius);
        if (irradiance < Negligible) return Vector3.Zero;
        return light.Color * (irradiance * Visibility(grid, light, p, n, d > 0 ? toLight / d : n));
    }

    /// <summary>Share of rays from just off the surface to points on the light's disc (facing the vertex)
    /// that no voxel blocks. Every vertex uses the same points: a penumbra then steps through the same
    /// few levels from vertex to vertex and interpolates smoothly, where points turned per vertex gave
    /// blotches at 0.3 m vertex spacing. Rays stop 1.5 cells short of the light, so its own fitting does not shadow it.</summary>
    private static float Visibility(VoxelGrid grid, SceneLight light, Vector3 p, Vector3 n, Vector3 direction)
    {
        var origin = p + n * (1.5f * grid.Cell);
        var (t, b) = AmbientOcclusion.Basis(direction);
        var open = 0;
        foreach (var s in DiscPoints)
        {
            var ray = light.Position + (s.X * t + s.Y * b) * light.Radius - origin;
            var length = ray.Length();
            var reach = length - 1.5f * grid.Cell;
            // Whole-cell steps: shadow rays run metres, not AO's 0.8 m, and this halves the bake.
            if (reach <= 0 || !grid.Hits(origin, ray / length, reach, 1f)) open++;
        }
        return (float)open / DiscPoints.Length;
    }
}

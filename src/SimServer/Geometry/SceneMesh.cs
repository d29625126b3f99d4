using System.Numerics;

namespace DistDepth.SimServer.Geometry;

/// <summary>
/// A triangle soup in world coordinates (metres, y up) with per-vertex colour, optional UVs and
/// per-triangle material. Immutable once built, so sessions share it across threads.
/// </summary>
public sealed class SceneMesh
{
    /// <summary>Larger scenes are almost always in the wrong unit (millimetres) or garbled.</summary>
    public const float MaxExtentM = 1000f;

    /// <summary>One fixed sun-like light plus ambient: enough for walls, floor and ceiling to differ,
    /// and view-independent, so the stereo views agree photometrically.</summary>
    private const float Ambient = 0.45f;
    private static readonly Vector3 LightDirection = Vector3.Normalize(new Vector3(0.4f, 1f, 0.25f));

    /// <param name="singleSided">every triangle winds counter-clockwise seen from the side it may be seen from
    /// (outward on closed solids), so the renderer may skip triangles facing away; scans and files are two-sided</param>
    public SceneMesh(Vector3[] positions, Vector3[] colors, Vector2[]? uvs, int[] indices,
                     int[]? triangleMaterials, Material[] materials, bool singleSided = false)
    {
        if (positions.Length == 0 || indices.Length == 0) throw new SceneFormatException("the mesh has no triangles");
        if (indices.Length % 3 != 0) throw new SceneFormatException("index count is not a multiple of 3");
        if (colors.Length != positions.Length || (uvs != null && uvs.Length != positions.Length))
            throw new SceneFormatException("per-vertex attribute counts differ from the vertex count");
        foreach (var i in indices)
            if ((uint)i >= (uint)positions.Length) throw new SceneFormatException($"vertex index {i} is out of range (0..{positions.Length - 1})");
        var min = new Vector3(float.MaxValue);
        var max = new Vector3(float.MinValue);
        foreach (var p in positions)
        {
            if (!float.IsFinite(p.X) || !float.IsFinite(p.Y) || !float.IsFinite(p.Z))
                throw new SceneFormatException("a vertex position is NaN or infinite");
            min = Vector3.Min(min, p);
            max = Vector3.Max(max, p);
        }
        var extent = max - min;
        if (MathF.Max(extent.X, MathF.Max(extent.Y, extent.Z)) > MaxExtentM)
            throw new SceneFormatException($"the scene spans {extent.X:F0} x {extent.Y:F0} x {extent.Z:F0} m, over {MaxExtentM} m: positions must be in metres");
        if (triangleMaterials != null)
        {
            if (triangleMaterials.Length != indices.Length / 3) throw new SceneFormatException("per-triangle material count differs from the triangle count");
            foreach (var m in triangleMaterials)
                if ((uint)m >= (uint)materials.Length) throw new SceneFormatException($"material {m} is out of range");
        }
        Positions = positions;
        Colors = colors;
        Uvs = uvs;
        Indices = indices;
        TriangleMaterials = triangleMaterials;
        Materials = materials;
        SingleSided = singleSided;
        BoundsMin = min;
        BoundsMax = max;
        FaceNormals = new Vector3[TriangleCount];
        FaceShade = new float[TriangleCount];
        for (var t = 0; t < TriangleCount; t++)
        {
            var (a, b, c) = Triangle(t);
            var n = Vector3.Cross(b - a, c - a);
            var len = n.Length();
            FaceNormals[t] = len > 0 ? n / len : Vector3.UnitY;
            // Two-sided: scanned meshes and our walls are seen from both sides.
            FaceShade[t] = IsEmissive(t) ? 1 : Ambient + (1 - Ambient) * MathF.Abs(Vector3.Dot(FaceNormals[t], LightDirection));
        }
    }

    public Vector3[] Positions { get; }
    public Vector3[] Colors { get; }
    public Vector2[]? Uvs { get; }
    public int[] Indices { get; }
    public int[]? TriangleMaterials { get; }
    public Material[] Materials { get; }
    /// <summary>Whether triangles facing away from the camera may be skipped (see the constructor).</summary>
    public bool SingleSided { get; }
    public Vector3[] FaceNormals { get; }
    /// <summary>Diffuse + ambient light factor per triangle (flat shading).</summary>
    public float[] FaceShade { get; }
    /// <summary>Rooms and portals, where the scene is made of rooms: views then skip rooms they cannot see.</summary>
    public ViewCells? Cells
    {
        get;
        init => field = value is null || value.TriangleRoom.Length == TriangleCount ? value
            : throw new ArgumentException($"view cells for {value.TriangleRoom.Length} triangles, the mesh has {TriangleCount}");
    }
    /// <summary>This mesh with <paramref name="cells"/> (the arrays are shared, not copied).</summary>
    public SceneMesh WithCells(ViewCells cells) => new(Positions, Colors, Uvs, Indices, TriangleMaterials, Materials, SingleSided) { Cells = cells };

    public Vector3 BoundsMin { get; }
    public Vector3 BoundsMax { get; }
    public int TriangleCount => Indices.Length / 3;

    public bool IsEmissive(int t) => Materials[TriangleMaterials?[t] ?? 0].Emissive;

    public (Vector3 A, Vector3 B, Vector3 C) Triangle(int t) =>
        (Positions[Indices[3 * t]], Positions[Indices[3 * t + 1]], Positions[Indices[3 * t + 2]]);

    /// <summary>Distance to the nearest hit along a unit ray, or +inf. Brute force: used for
    /// placing the agent a few times per trajectory, never per pixel.</summary>
    public float Raycast(Vector3 origin, Vector3 direction)
    {
        var best = float.PositiveInfinity;
        for (var t = 0; t < TriangleCount; t++)
        {
            var (a, b, c) = Triangle(t);
            var d = IntersectRay(origin, direction, a, b, c, out _, out _);
            if (d > 1e-4f && d < best) best = d;
        }
        return best;
    }

    /// <summary>Möller-Trumbore; returns the ray parameter (or +inf) and the barycentrics of b and c.</summary>
    public static float IntersectRay(Vector3 origin, Vector3 dir, Vector3 a, Vector3 b, Vector3 c, out float u, out float v)
    {
        var e1 = b - a;
        var e2 = c - a;
        var p = Vector3.Cross(dir, e2);
        var det = Vector3.Dot(e1, p);
        u = v = 0;
        if (MathF.Abs(det) < 1e-12f) return float.PositiveInfinity;
        var inv = 1f / det;
        var s = origin - a;
        u = Vector3.Dot(s, p) * inv;
        if (u < 0 || u > 1) return float.PositiveInfinity;
        var q = Vector3.Cross(s, e1);
        v = Vector3.Dot(dir, q) * inv;
        if (v < 0 || u + v > 1) return float.PositiveInfinity;
        return Vector3.Dot(e2, q) * inv;
    }
}

/// <summary>Base colour factor times an optional texture (glTF's baseColor, our procedural surfaces).
/// An <paramref name="Emissive"/> surface shows its colour as the light it gives (the daylight in a
/// window): no face shading and no baked light or occlusion.</summary>
public sealed record Material(Vector3 BaseColor, Texture? Texture, bool Emissive = false);

/// <summary>A scene file that cannot be read; the message says what is wrong with it.</summary>
public class SceneFormatException(string message, Exception? inner = null) : IOException(message, inner);

using System.Numerics;

namespace DistDepth.SimServer.Geometry;

/// <summary>Accumulates boxes, quads and cylinders into a <see cref="SceneMesh"/>.</summary>
public sealed class MeshBuilder
{
    private readonly List<Vector3> _positions = [];
    private readonly List<Vector3> _colors = [];
    private readonly List<Vector2> _uvs = [];
    private readonly List<int> _indices = [];
    private readonly List<int> _triangleMaterials = [];
    private readonly List<Material> _materials = [];

    public int TriangleCount => _indices.Count / 3;

    /// <summary>Quads are split into cells no larger than this, to build dense (scan-like) meshes.</summary>
    public float MaxCellSize { get; init; } = float.PositiveInfinity;

    public int AddMaterial(Material material)
    {
        _materials.Add(material);
        return _materials.Count - 1;
    }

    /// <summary>Planar quad a-b-c-d (in order around its edge), UVs in metres / <paramref name="uvScale"/>.</summary>
    public void AddQuad(Vector3 a, Vector3 b, Vector3 c, Vector3 d, int material, Vector3 color, float uvScale = 1f)
    {
        float lu = (b - a).Length(), lv = (d - a).Length();
        AddGrid(a, b, c, d, material, color, uvScale, Divisions(lu), Divisions(lv));
    }

    /// <summary>Planar quad split into cells of about <paramref name="cellSize"/> whatever <see cref="MaxCellSize"/>
    /// says: large surfaces (walls, floors) get vertices for per-vertex baked light to vary across.</summary>
    public void AddQuad(Vector3 a, Vector3 b, Vector3 c, Vector3 d, int material, Vector3 color, float uvScale, float cellSize)
    {
        int Cells(float length) => Math.Max(1, (int)MathF.Ceiling(length / cellSize - 0.01f));
        AddGrid(a, b, c, d, material, color, uvScale, Cells((b - a).Length()), Cells((d - a).Length()));
    }

    private void AddGrid(Vector3 a, Vector3 b, Vector3 c, Vector3 d, int material, Vector3 color, float uvScale, int du, int dv)
    {
        float lu = (b - a).Length(), lv = (d - a).Length();
        var start = _positions.Count;
        for (var j = 0; j <= dv; j++)
        for (var i = 0; i <= du; i++)
        {
            float s = (float)i / du, t = (float)j / dv;
            var p = Vector3.Lerp(Vector3.Lerp(a, b, s), Vector3.Lerp(d, c, s), t);
            _positions.Add(p);
            _colors.Add(color);
            _uvs.Add(new Vector2(s * lu / uvScale, t * lv / uvScale));
        }
        for (var j = 0; j < dv; j++)
        for (var i = 0; i < du; i++)
        {
            var v0 = start + j * (du + 1) + i;
            var v1 = v0 + 1;
            var v3 = v0 + du + 1;
            var v2 = v3 + 1;
            AddTriangle(v0, v1, v2, material);
            AddTriangle(v0, v2, v3, material);
        }
    }

    /// <summary>Axis-aligned box with all six faces.</summary>
    public void AddBox(Vector3 min, Vector3 max, int material, Vector3 color, float uvScale = 1f) =>
        BoxFaces(min, max, p => p, (a, b, c, d) => AddQuad(a, b, c, d, material, color, uvScale));

    /// <summary>Axis-aligned box whose faces are split into cells of about <paramref name="cellSize"/>.</summary>
    public void AddBox(Vector3 min, Vector3 max, int material, Vector3 color, float uvScale, float cellSize) =>
        BoxFaces(min, max, p => p, (a, b, c, d) => AddQuad(a, b, c, d, material, color, uvScale, cellSize));

    /// <summary>Box given by <paramref name="min"/> and <paramref name="max"/> in the coordinates of
    /// <paramref name="frame"/> (a piece of furniture's own axes), faces undivided.</summary>
    public void AddBox(RigidPose frame, Vector3 min, Vector3 max, int material, Vector3 color, float uvScale = 0.5f) =>
        BoxFaces(min, max, frame.TransformPoint, (a, b, c, d) => AddQuad(a, b, c, d, material, color, uvScale));

    private static void BoxFaces(Vector3 min, Vector3 max, Func<Vector3, Vector3> place, Action<Vector3, Vector3, Vector3, Vector3> face)
    {
        Vector3 P(float x, float y, float z) => place(new(x == 0 ? min.X : max.X, y == 0 ? min.Y : max.Y, z == 0 ? min.Z : max.Z));
        face(P(0, 0, 1), P(1, 0, 1), P(1, 1, 1), P(0, 1, 1)); // +z
        face(P(1, 0, 0), P(0, 0, 0), P(0, 1, 0), P(1, 1, 0)); // -z
        face(P(1, 0, 1), P(1, 0, 0), P(1, 1, 0), P(1, 1, 1)); // +x
        face(P(0, 0, 0), P(0, 0, 1), P(0, 1, 1), P(0, 1, 0)); // -x
        face(P(0, 1, 1), P(1, 1, 1), P(1, 1, 0), P(0, 1, 0)); // +y
        face(P(0, 0, 0), P(1, 0, 0), P(1, 0, 1), P(0, 0, 1)); // -y
    }

    /// <summary>Vertical cylinder with caps.</summary>
    public void AddCylinder(Vector3 baseCenter, float radius, float height, int segments, int material, Vector3 color)
    {
        var top = baseCenter + new Vector3(0, height, 0);
        for (var s = 0; s < segments; s++)
        {
            float a0 = MathF.Tau * s / segments, a1 = MathF.Tau * (s + 1) / segments;
            var o0 = new Vector3(MathF.Cos(a0) * radius, 0, MathF.Sin(a0) * radius);
            var o1 = new Vector3(MathF.Cos(a1) * radius, 0, MathF.Sin(a1) * radius);
            AddQuad(baseCenter + o0, baseCenter + o1, top + o1, top + o0, material, color, 0.5f);
            AddRawTriangle(top, top + o1, top + o0, material, color);
            AddRawTriangle(baseCenter, baseCenter + o0, baseCenter + o1, material, color);
        }
    }

    private int Divisions(float length) =>
        float.IsPositiveInfinity(MaxCellSize) ? 1 : Math.Max(1, (int)MathF.Ceiling(length / MaxCellSize));

    public void AddRawTriangle(Vector3 a, Vector3 b, Vector3 c, int material, Vector3 color)
    {
        var start = _positions.Count;
        _positions.AddRange([a, b, c]);
        _colors.AddRange([color, color, color]);
        _uvs.AddRange([new Vector2(a.X, a.Z), new Vector2(b.X, b.Z), new Vector2(c.X, c.Z)]);
        AddTriangle(start, start + 1, start + 2, material);
    }

    private void AddTriangle(int a, int b, int c, int material)
    {
        _indices.AddRange([a, b, c]);
        _triangleMaterials.Add(material);
    }

    /// <summary>Whether the caller wound every face toward the side it can be seen from (see <see cref="SceneMesh"/>).</summary>
    public bool SingleSided { get; init; }

    public SceneMesh Build() =>
        new([.. _positions], [.. _colors], [.. _uvs], [.. _indices], [.. _triangleMaterials],
            _materials.Count > 0 ? [.. _materials] : [new Material(Vector3.One, null)], SingleSided);
}

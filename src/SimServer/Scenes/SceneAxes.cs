using System.Numerics;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Scenes;

/// <summary>
/// How a scene file is stored: which of its axes points up, which is the front, and its scale. We
/// simulate y-up with -z as front (habitat's frame), so loading maps the file's up to +y and its
/// front to -z, as habitat-sim does with a stage's <c>up</c>/<c>front</c>
/// (esp/metadata/managers/StageAttributesManager.cpp, setDefaultAssetNameBasedAttributes).
/// </summary>
public sealed record SceneAxes(Vector3 Up, Vector3 Front, Vector3 Scale)
{
    /// <summary>glTF's and our own frame.</summary>
    public static readonly SceneAxes YUp = new(Vector3.UnitY, -Vector3.UnitZ, Vector3.One);

    /// <summary>Gravity along -z with +y as front: habitat's frame for MP3D/HM3D <c>.glb</c> and Replica.</summary>
    public static readonly SceneAxes ZUp = new(Vector3.UnitZ, Vector3.UnitY, Vector3.One);

    /// <summary>The value of <c>--up</c> / LoadSceneRequest.up: "y" or "z"; empty means "by the file's rules".</summary>
    public static SceneAxes? Parse(string? up) => up?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "y" => YUp,
        "z" => ZUp,
        _ => throw new ArgumentException($"--up '{up}' is not y or z"),
    };

    /// <summary>habitat-sim's rule by file name when no config says otherwise: a <c>.glb</c> is taken
    /// as an MP3D-style z-up mesh; everything else (<c>.gltf</c>, <c>.ply</c>) as y-up.</summary>
    public static SceneAxes DefaultFor(string path) =>
        path.EndsWith(".glb", StringComparison.OrdinalIgnoreCase) ? ZUp : YUp;

    public bool IsIdentity => this == YUp;

    public string Describe() => Up == Vector3.UnitY ? "y-up" : Up == Vector3.UnitZ ? "z-up" : $"up {Up}";

    /// <summary>The mesh in our frame; the same object when nothing changes, so y-up scenes stay bit-exact.</summary>
    public SceneMesh Apply(SceneMesh mesh)
    {
        if (IsIdentity) return mesh;
        var up = Vector3.Normalize(Up);
        var front = Vector3.Normalize(Front - Vector3.Dot(Front, up) * up);
        if (!float.IsFinite(front.X)) throw new SceneFormatException($"the scene's front {Front} is parallel to its up {Up}");
        var right = Vector3.Cross(front, up);
        var positions = mesh.Positions
            .Select(p => p * Scale)
            .Select(p => new Vector3(Vector3.Dot(p, right), Vector3.Dot(p, up), -Vector3.Dot(p, front)))
            .ToArray();
        // A negative scale mirrors the mesh; keep triangles facing the same way by swapping two corners.
        var indices = (int[])mesh.Indices.Clone();
        if (Scale.X * Scale.Y * Scale.Z < 0)
            for (var t = 0; t + 2 < indices.Length; t += 3) (indices[t + 1], indices[t + 2]) = (indices[t + 2], indices[t + 1]);
        return new SceneMesh(positions, mesh.Colors, mesh.Uvs, indices, mesh.TriangleMaterials, mesh.Materials);
    }
}

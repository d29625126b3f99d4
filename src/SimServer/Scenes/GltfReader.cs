using System.Numerics;
using DistDepth.SimServer.Geometry;
using OpenCvSharp;
using SharpGLTF.Schema2;
using Material = DistDepth.SimServer.Geometry.Material;
using Texture = DistDepth.SimServer.Geometry.Texture;

namespace DistDepth.SimServer.Scenes;

/// <summary>
/// <c>.glb</c>/<c>.gltf</c> through SharpGLTF: every triangle primitive of the default scene in world
/// space (node transforms applied), COLOR_0 as vertex colour, the base-colour factor and texture.
/// glTF is y-up in metres, our convention; a file stored otherwise is turned by <see cref="SceneAxes"/>.
/// </summary>
public static class GltfReader
{
    private static readonly object NoMaterial = new();

    public static SceneMesh Read(string path)
    {
        GltfPreflight.Check(path);
        ModelRoot model;
        try
        {
            model = ModelRoot.Load(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The parser's message may quote the file, and errors go to remote clients: the kind of error only.
            throw new SceneFormatException($"glTF could not be parsed, the file is not valid glTF 2.0 ({ErrorKind(e)})", e);
        }
        var undecoded = new SortedSet<string>(StringComparer.Ordinal);
        try
        {
            var mesh = Convert(model, undecoded);
            // HM3D's .basis.glb carries KTX2 (Basis Universal) textures; no NuGet package decodes them,
            // so the geometry is used untextured: depth and the floor grid do not depend on textures.
            if (undecoded.Count > 0)
                Console.Error.WriteLine($"warning: {path}: {string.Join(", ", undecoded)} textures are not decoded; the scene is loaded untextured (depth and navigation are unaffected)");
            return mesh;
        }
        catch (Exception e) when (e is not SceneFormatException and not OutOfMemoryException)
        {
            throw new SceneFormatException($"glTF content is inconsistent ({ErrorKind(e)})", e);
        }
    }

    // SharpGLTF's LinkException reads "a link error": a hint for a person, without the library's wording.
    private static string ErrorKind(Exception e) =>
        System.Text.RegularExpressions.Regex.Replace(e.GetType().Name.Replace("Exception", ""), "(?<=[a-z])(?=[A-Z])", " ").ToLowerInvariant() + " error";

    private static SceneMesh Convert(ModelRoot model, ISet<string> undecoded)
    {
        var positions = new List<Vector3>();
        var colors = new List<Vector3>();
        var uvs = new List<Vector2>();
        var indices = new List<int>();
        var triangleMaterials = new List<int>();
        var materials = new List<Material>();
        var materialIndex = new Dictionary<object, int>();
        var textures = new Dictionary<int, Texture>();
        var nodes = model.DefaultScene != null ? Node.Flatten(model.DefaultScene) : model.LogicalNodes;
        foreach (var node in nodes)
        {
            if (node.Mesh == null) continue;
            var world = node.WorldMatrix;
            foreach (var primitive in node.Mesh.Primitives)
            {
                if (primitive.DrawPrimitiveType is not (PrimitiveType.TRIANGLES or PrimitiveType.TRIANGLE_STRIP or PrimitiveType.TRIANGLE_FAN)) continue;
                var position = primitive.GetVertexAccessor("POSITION");
                if (position == null) continue;
                var start = positions.Count;
                var p = position.AsVector3Array();
                positions.AddRange(p.Select(v => Vector3.Transform(v, world)));
                var color = primitive.GetVertexAccessor("COLOR_0");
                if (color == null) colors.AddRange(Enumerable.Repeat(Vector3.One, p.Count));
                else if (color.Dimensions == DimensionType.VEC4) colors.AddRange(color.AsVector4Array().Select(c => new Vector3(c.X, c.Y, c.Z)));
                else colors.AddRange(color.AsVector3Array());
                var uv = primitive.GetVertexAccessor("TEXCOORD_0");
                if (uv == null) uvs.AddRange(Enumerable.Repeat(Vector2.Zero, p.Count));
                else uvs.AddRange(uv.AsVector2Array());
                if (colors.Count != positions.Count || uvs.Count != positions.Count)
                    throw new SceneFormatException($"mesh '{node.Mesh.Name}': attribute counts differ from the POSITION count");
                var material = MaterialOf(primitive.Material, materials, materialIndex, textures, undecoded);
                foreach (var (a, b, c) in primitive.GetTriangleIndices())
                {
                    indices.AddRange([start + a, start + b, start + c]);
                    triangleMaterials.Add(material);
                }
            }
        }
        if (indices.Count == 0) throw new SceneFormatException("glTF has no triangle meshes in its scene");
        if (materials.Count == 0) materials.Add(new Material(Vector3.One, null));
        return new SceneMesh([.. positions], [.. colors], [.. uvs], [.. indices], [.. triangleMaterials], [.. materials]);
    }

    private static int MaterialOf(SharpGLTF.Schema2.Material? source, List<Material> materials,
                                  Dictionary<object, int> known, Dictionary<int, Texture> textures, ISet<string> undecoded)
    {
        var key = (object?)source ?? NoMaterial;
        if (known.TryGetValue(key, out var index)) return index;
        var factor = Vector4.One;
        Texture? texture = null;
        if (source?.FindChannel("BaseColor") is { } channel)
        {
            factor = channel.Color;
            if (channel.Texture?.PrimaryImage is { } image && !(image.Content.IsPng || image.Content.IsJpg))
                undecoded.Add(image.Content.IsKtx2 ? "KTX2 (Basis Universal)" : image.Content.MimeType ?? "unknown-format");
            else if (channel.Texture?.PrimaryImage is { } decodable)
            {
                if (!textures.TryGetValue(decodable.LogicalIndex, out texture))
                    textures[decodable.LogicalIndex] = texture = Decode(decodable.Content.Content.ToArray());
            }
        }
        materials.Add(new Material(new Vector3(factor.X, factor.Y, factor.Z), texture));
        known[key] = materials.Count - 1;
        return materials.Count - 1;
    }

    private static Texture Decode(byte[] encoded)
    {
        using var bgr = Cv2.ImDecode(encoded, ImreadModes.Color);
        if (bgr.Empty()) throw new SceneFormatException("a base-colour texture is not a decodable PNG/JPEG image");
        using var rgb = new Mat();
        Cv2.CvtColor(bgr, rgb, ColorConversionCodes.BGR2RGB);
        var bytes = new byte[rgb.Rows * rgb.Cols * 3];
        rgb.GetArray(out Vec3b[] pixels);
        for (var i = 0; i < pixels.Length; i++) (bytes[3 * i], bytes[3 * i + 1], bytes[3 * i + 2]) = (pixels[i].Item0, pixels[i].Item1, pixels[i].Item2);
        return Texture.FromRgb8(rgb.Cols, rgb.Rows, bytes);
    }
}

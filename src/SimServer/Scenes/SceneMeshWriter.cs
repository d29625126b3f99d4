using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Scenes;

/// <summary>Writes a mesh (geometry and vertex colours) as PLY or GLB, so tests, benchmarks and other
/// renderers (Blender, Mesa) see exactly the triangles the simulator draws.</summary>
public static class SceneMeshWriter
{
    public static void WritePly(SceneMesh mesh, string path, bool binary)
    {
        using var stream = File.Create(path);
        var header = new StringBuilder()
            .Append("ply\n").Append(binary ? "format binary_little_endian 1.0\n" : "format ascii 1.0\n")
            .Append("comment written by DistDepth SimServer\n")
            .Append(CultureInfo.InvariantCulture, $"element vertex {mesh.Positions.Length}\n")
            .Append("property float x\nproperty float y\nproperty float z\n")
            .Append("property uchar red\nproperty uchar green\nproperty uchar blue\n")
            .Append(CultureInfo.InvariantCulture, $"element face {mesh.TriangleCount}\n")
            .Append("property list uchar int vertex_indices\nend_header\n");
        stream.Write(Encoding.ASCII.GetBytes(header.ToString()));
        if (binary)
        {
            using var w = new BinaryWriter(stream);
            for (var i = 0; i < mesh.Positions.Length; i++)
            {
                var p = mesh.Positions[i];
                w.Write(p.X); w.Write(p.Y); w.Write(p.Z);
                w.Write(Color8(mesh.Colors[i].X)); w.Write(Color8(mesh.Colors[i].Y)); w.Write(Color8(mesh.Colors[i].Z));
            }
            for (var t = 0; t < mesh.TriangleCount; t++)
            {
                w.Write((byte)3);
                w.Write(mesh.Indices[3 * t]); w.Write(mesh.Indices[3 * t + 1]); w.Write(mesh.Indices[3 * t + 2]);
            }
            return;
        }
        using var text = new StreamWriter(stream, Encoding.ASCII);
        for (var i = 0; i < mesh.Positions.Length; i++)
        {
            var p = mesh.Positions[i];
            var c = mesh.Colors[i];
            text.Write(string.Create(CultureInfo.InvariantCulture, $"{p.X:R} {p.Y:R} {p.Z:R} {Color8(c.X)} {Color8(c.Y)} {Color8(c.Z)}\n"));
        }
        for (var t = 0; t < mesh.TriangleCount; t++)
            text.Write(string.Create(CultureInfo.InvariantCulture, $"3 {mesh.Indices[3 * t]} {mesh.Indices[3 * t + 1]} {mesh.Indices[3 * t + 2]}\n"));
    }

    /// <summary>One mesh, one primitive: POSITION, COLOR_0 and uint32 indices in a single buffer.</summary>
    public static void WriteGlb(SceneMesh mesh, string path)
    {
        var positions = mesh.Positions.Length * 12;
        var colors = mesh.Positions.Length * 12;
        var indices = mesh.Indices.Length * 4;
        var bin = new byte[positions + colors + indices];
        Buffer.BlockCopy(mesh.Positions.SelectMany(p => new[] { p.X, p.Y, p.Z }).ToArray(), 0, bin, 0, positions);
        Buffer.BlockCopy(mesh.Colors.SelectMany(c => new[] { c.X, c.Y, c.Z }).ToArray(), 0, bin, positions, colors);
        Buffer.BlockCopy(mesh.Indices, 0, bin, positions + colors, indices);
        var json = JsonSerializer.Serialize(new
        {
            asset = new { version = "2.0", generator = "DistDepth SimServer" },
            scene = 0,
            scenes = new[] { new { nodes = new[] { 0 } } },
            nodes = new[] { new { mesh = 0 } },
            meshes = new[] { new { primitives = new[] { new { attributes = new { POSITION = 0, COLOR_0 = 1 }, indices = 2, mode = 4 } } } },
            buffers = new[] { new { byteLength = bin.Length } },
            bufferViews = new object[]
            {
                new { buffer = 0, byteOffset = 0, byteLength = positions, target = 34962 },
                new { buffer = 0, byteOffset = positions, byteLength = colors, target = 34962 },
                new { buffer = 0, byteOffset = positions + colors, byteLength = indices, target = 34963 },
            },
            accessors = new object[]
            {
                new { bufferView = 0, componentType = 5126, count = mesh.Positions.Length, type = "VEC3", min = Array(mesh.BoundsMin), max = Array(mesh.BoundsMax) },
                new { bufferView = 1, componentType = 5126, count = mesh.Positions.Length, type = "VEC3" },
                new { bufferView = 2, componentType = 5125, count = mesh.Indices.Length, type = "SCALAR" },
            },
        });
        var jsonBytes = Pad(Encoding.UTF8.GetBytes(json), (byte)' ');
        var binBytes = Pad(bin, 0);
        using var w = new BinaryWriter(File.Create(path));
        w.Write(0x46546C67u); // "glTF"
        w.Write(2u);
        w.Write((uint)(12 + 8 + jsonBytes.Length + 8 + binBytes.Length));
        w.Write((uint)jsonBytes.Length); w.Write(0x4E4F534Au); w.Write(jsonBytes); // "JSON"
        w.Write((uint)binBytes.Length); w.Write(0x004E4942u); w.Write(binBytes);   // "BIN\0"
    }

    private static float[] Array(Vector3 v) => [v.X, v.Y, v.Z];

    private static byte[] Pad(byte[] data, byte fill)
    {
        var padded = new byte[(data.Length + 3) / 4 * 4];
        data.CopyTo(padded, 0);
        padded.AsSpan(data.Length).Fill(fill);
        return padded;
    }

    private static byte Color8(float v) => (byte)Math.Clamp(v * 255f + 0.5f, 0f, 255f);
}

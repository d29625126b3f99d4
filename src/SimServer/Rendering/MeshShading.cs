using System.Runtime.CompilerServices;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Rendering;

/// <summary>
/// The view-independent half of the shading pass, built once per mesh and shared by every
/// rasterizer that draws it: per triangle, its lit vertex colours (material base colour, flat face
/// light and the 0-255 scale folded in), its UVs and where its texture sits in one atlas of all the
/// mesh's textures (8 bits a channel, as decoded images are; procedural textures are quantized). One flat, pinned record per triangle lets the SIMD shading pass fetch a triangle
/// with plain loads (runs of pixels on one triangle) or AVX2 gathers (spans that mix triangles).
/// </summary>
internal sealed unsafe class MeshShading
{
    /// <summary>Floats per triangle record; see the field offsets below.</summary>
    public const int Stride = 24;
    public const int C0 = 0, C1 = 3, C2 = 6; // lit vertex colours, RGB each
    public const int Uv0 = 9, Uv1 = 11, Uv2 = 13;
    public const int TexOffset = 15, TexWidth = 16, TexHeight = 17; // int bits: first float in the atlas, size in texels

    private static readonly ConditionalWeakTable<SceneMesh, MeshShading> Cache = new();

    private readonly float[] _triangles;
    private readonly uint[] _texels;

    /// <summary>True when some material has a texture; otherwise the pass skips texturing altogether.</summary>
    public bool Textured { get; }
    public float* Triangles => (float*)Unsafe.AsPointer(ref _triangles[0]);
    /// <summary>The atlas: texels as 0x00BBGGRR, 8 bits a channel, so one gather fetches a texel.</summary>
    public int* Texels => (int*)Unsafe.AsPointer(ref _texels[0]);

    public static MeshShading For(SceneMesh mesh) => Cache.GetValue(mesh, m => new MeshShading(m));

    private MeshShading(SceneMesh mesh)
    {
        // Atlas: texel 0 is a white 1x1 texture for untextured materials of a textured mesh.
        var offsets = new int[mesh.Materials.Length];
        var seen = new Dictionary<Texture, int>(ReferenceEqualityComparer.Instance);
        var size = 1;
        for (var m = 0; m < mesh.Materials.Length; m++)
        {
            if (mesh.Materials[m].Texture is not { } texture || mesh.Uvs == null) continue;
            if (!seen.TryGetValue(texture, out offsets[m]))
            {
                seen[texture] = offsets[m] = size;
                size += texture.Width * texture.Height;
            }
        }
        Textured = seen.Count > 0;
        _texels = GC.AllocateUninitializedArray<uint>(size, pinned: true);
        _texels[0] = 0x00FFFFFF;
        foreach (var (texture, offset) in seen)
        {
            var data = texture.Data;
            for (var i = 0; i < texture.Width * texture.Height; i++)
                _texels[offset + i] = Quantize(data[3 * i]) | Quantize(data[3 * i + 1]) << 8 | Quantize(data[3 * i + 2]) << 16;
        }

        var count = mesh.TriangleCount;
        _triangles = GC.AllocateArray<float>(count * Stride, pinned: true);
        for (var t = 0; t < count; t++)
        {
            var record = _triangles.AsSpan(t * Stride, Stride);
            int i0 = mesh.Indices[3 * t], i1 = mesh.Indices[3 * t + 1], i2 = mesh.Indices[3 * t + 2];
            var m = mesh.TriangleMaterials?[t] ?? 0;
            var material = mesh.Materials[m];
            var scale = material.BaseColor * (mesh.FaceShade[t] * 255f);
            (mesh.Colors[i0] * scale).CopyTo(record[C0..]);
            (mesh.Colors[i1] * scale).CopyTo(record[C1..]);
            (mesh.Colors[i2] * scale).CopyTo(record[C2..]);
            var texture = mesh.Uvs != null ? material.Texture : null;
            if (texture != null)
            {
                mesh.Uvs![i0].CopyTo(record[Uv0..]);
                mesh.Uvs[i1].CopyTo(record[Uv1..]);
                mesh.Uvs[i2].CopyTo(record[Uv2..]);
            }
            record[TexOffset] = BitConverter.Int32BitsToSingle(texture != null ? offsets[m] : 0);
            record[TexWidth] = BitConverter.Int32BitsToSingle(texture?.Width ?? 1);
            record[TexHeight] = BitConverter.Int32BitsToSingle(texture?.Height ?? 1);
        }
    }

    /// <summary>Texture value in [0,1] to 8 bits, as an image file would store it.</summary>
    private static uint Quantize(float v) => (uint)Math.Clamp(v * 255f + 0.5f, 0f, 255f);
}

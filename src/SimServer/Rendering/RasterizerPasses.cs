using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Rendering;

public sealed partial class Rasterizer
{
    private static readonly Vector<float> LaneOffsets = CreateLaneOffsets();

    private static Vector<float> CreateLaneOffsets()
    {
        Span<float> lanes = stackalloc float[Vector<float>.Count];
        for (var i = 0; i < lanes.Length; i++) lanes[i] = i;
        return new Vector<float>(lanes);
    }

    private void RasterizeBand(int band)
    {
        int bandY0 = band << BandShift, bandY1 = Math.Min(_height, (band + 1) << BandShift) - 1;
        _invZ.AsSpan(bandY0 * _stride, (bandY1 - bandY0 + 1) * _stride).Clear();
        _triangle.AsSpan(bandY0 * _stride, (bandY1 - bandY0 + 1) * _stride).Fill(-1);
        ref var invZ = ref MemoryMarshal.GetArrayDataReference(_invZ);
        ref var ids = ref MemoryMarshal.GetArrayDataReference(_triangle);
        var lanes = Vector<float>.Count;
        var one = Vector<float>.One;
        var slack = new Vector<float>(-EdgeEpsilon);
        for (var e = _bandStarts[band]; e < _bandStarts[band + 1]; e++)
        {
            ref var s = ref _setup[_binned[e]];
            int y0 = Math.Max(s.MinY, bandY0), y1 = Math.Min(s.MaxY, bandY1);
            var x0 = s.MinX / lanes * lanes;
            Vector<float> a0 = new(s.A0), a1 = new(s.A1), az = new(s.Az);
            var id = new Vector<int>(s.Triangle);
            for (var y = y0; y <= y1; y++)
            {
                float r0 = s.B0 * y + s.C0, r1 = s.B1 * y + s.C1, rz = s.Bz * y + s.Cz;
                var row = (nuint)(y * _stride);
                for (var x = x0; x <= s.MaxX; x += lanes)
                {
                    var xs = new Vector<float>(x) + LaneOffsets;
                    var w0 = a0 * xs + new Vector<float>(r0);
                    var w1 = a1 * xs + new Vector<float>(r1);
                    var w2 = one - w0 - w1;
                    var z = az * xs + new Vector<float>(rz);
                    var at = row + (nuint)x;
                    var old = Vector.LoadUnsafe(ref invZ, at);
                    var mask = Vector.GreaterThanOrEqual(w0, slack) & Vector.GreaterThanOrEqual(w1, slack) &
                               Vector.GreaterThanOrEqual(w2, slack) & Vector.GreaterThan(z, old);
                    if (mask == Vector<int>.Zero) continue;
                    Vector.ConditionalSelect(mask.As<int, float>(), z, old).StoreUnsafe(ref invZ, at);
                    Vector.ConditionalSelect(mask, id, Vector.LoadUnsafe(ref ids, at)).StoreUnsafe(ref ids, at);
                }
            }
        }
    }

    private void ShadeRow(SceneMesh mesh, Intrinsics k, int y, byte[]? rgb, float[]? depth, float gain)
    {
        var rayY = -(y + 0.5f - k.Cy) / k.Fy;
        for (var x = 0; x < _width; x++)
        {
            var at = y * _stride + x;
            var outAt = y * _width + x;
            var t = _triangle[at];
            if (depth != null) depth[outAt] = t < 0 ? 0f : 1f / _invZ[at];
            if (rgb == null) continue;
            if (t < 0)
            {
                rgb[3 * outAt] = rgb[3 * outAt + 1] = rgb[3 * outAt + 2] = 0;
                continue;
            }
            var color = SurfaceColor(mesh, t, new Vector3((x + 0.5f - k.Cx) / k.Fx, rayY, -1f)) * (mesh.FaceShade[t] * gain * 255f);
            rgb[3 * outAt] = ToByte(color.X);
            rgb[3 * outAt + 1] = ToByte(color.Y);
            rgb[3 * outAt + 2] = ToByte(color.Z);
        }
    }

    /// <summary>Albedo where the camera ray through a pixel meets triangle <paramref name="t"/>.</summary>
    private Vector3 SurfaceColor(SceneMesh mesh, int t, Vector3 ray)
    {
        int i0 = mesh.Indices[3 * t], i1 = mesh.Indices[3 * t + 1], i2 = mesh.Indices[3 * t + 2];
        var a = _cameraSpace[i0];
        var e1 = _cameraSpace[i1] - a;
        var e2 = _cameraSpace[i2] - a;
        var p = Vector3.Cross(ray, e2);
        var det = Vector3.Dot(e1, p);
        float u = 0, v = 0;
        if (MathF.Abs(det) > 1e-20f)
        {
            var s = -a;
            u = Math.Clamp(Vector3.Dot(s, p) / det, 0f, 1f);
            v = Math.Clamp(Vector3.Dot(ray, Vector3.Cross(s, e1)) / det, 0f, 1f - u);
        }
        var w = 1f - u - v;
        var color = mesh.Colors[i0] * w + mesh.Colors[i1] * u + mesh.Colors[i2] * v;
        var material = mesh.Materials[mesh.TriangleMaterials?[t] ?? 0];
        color *= material.BaseColor;
        if (material.Texture != null && mesh.Uvs != null)
        {
            var uv = mesh.Uvs[i0] * w + mesh.Uvs[i1] * u + mesh.Uvs[i2] * v;
            var (r, g, b) = material.Texture.Sample(uv.X, uv.Y);
            color *= new Vector3(r, g, b);
        }
        return color;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte ToByte(float v) => (byte)Math.Clamp(v + 0.5f, 0f, 255f);
}

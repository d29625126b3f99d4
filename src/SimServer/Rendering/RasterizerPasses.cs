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
        var surface = new Surface { Triangle = -1 };
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
            // Neighbouring pixels mostly share a triangle: fetch its data once per run.
            if (t != surface.Triangle) surface = Surface.Of(mesh, _cameraSpace, t, gain);
            var color = surface.Color(new Vector3((x + 0.5f - k.Cx) / k.Fx, rayY, -1f));
            rgb[3 * outAt] = ToByte(color.X);
            rgb[3 * outAt + 1] = ToByte(color.Y);
            rgb[3 * outAt + 2] = ToByte(color.Z);
        }
    }

    /// <summary>A triangle as the shading pass needs it: camera-space edges, vertex attributes, material.</summary>
    private struct Surface
    {
        public int Triangle;
        private Vector3 _a, _e1, _e2, _c0, _c1, _c2;
        private Vector2 _uv0, _uv1, _uv2;
        private Texture? _texture;

        public static Surface Of(SceneMesh mesh, Vector3[] cameraSpace, int t, float gain)
        {
            int i0 = mesh.Indices[3 * t], i1 = mesh.Indices[3 * t + 1], i2 = mesh.Indices[3 * t + 2];
            var material = mesh.Materials[mesh.TriangleMaterials?[t] ?? 0];
            // Light, exposure and the 0-255 scale fold into the vertex colours once per triangle.
            var scale = material.BaseColor * (mesh.FaceShade[t] * gain * 255f);
            var s = new Surface
            {
                Triangle = t,
                _a = cameraSpace[i0], _e1 = cameraSpace[i1] - cameraSpace[i0], _e2 = cameraSpace[i2] - cameraSpace[i0],
                _c0 = mesh.Colors[i0] * scale, _c1 = mesh.Colors[i1] * scale, _c2 = mesh.Colors[i2] * scale,
                _texture = mesh.Uvs != null ? material.Texture : null,
            };
            if (s._texture != null) (s._uv0, s._uv1, s._uv2) = (mesh.Uvs![i0], mesh.Uvs[i1], mesh.Uvs[i2]);
            return s;
        }

        /// <summary>Colour where the camera ray through a pixel meets the triangle (exact,
        /// perspective-correct barycentrics from the ray/plane intersection).</summary>
        public readonly Vector3 Color(Vector3 ray)
        {
            var p = Vector3.Cross(ray, _e2);
            var det = Vector3.Dot(_e1, p);
            float u = 0, v = 0;
            if (MathF.Abs(det) > 1e-20f)
            {
                var inv = 1f / det;
                var s = -_a;
                u = Math.Clamp(Vector3.Dot(s, p) * inv, 0f, 1f);
                v = Math.Clamp(Vector3.Dot(ray, Vector3.Cross(s, _e1)) * inv, 0f, 1f - u);
            }
            var w = 1f - u - v;
            var color = _c0 * w + _c1 * u + _c2 * v;
            if (_texture == null) return color;
            var uv = _uv0 * w + _uv1 * u + _uv2 * v;
            var (r, g, b) = _texture.Sample(uv.X, uv.Y);
            return color * new Vector3(r, g, b);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte ToByte(float v) => (byte)Math.Clamp(v + 0.5f, 0f, 255f);
}

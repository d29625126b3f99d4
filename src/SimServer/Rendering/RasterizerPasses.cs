using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
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

    private void RasterizeBand(int band, BandVisibility visibility)
    {
        int bandY0 = band << BandShift, bandY1 = Math.Min(_height, (band + 1) << BandShift) - 1;
        visibility.InvZ.AsSpan(0, (bandY1 - bandY0 + 1) * _stride).Clear();
        visibility.Triangle.AsSpan(0, (bandY1 - bandY0 + 1) * _stride).Fill(-1);
        ref var invZ = ref MemoryMarshal.GetArrayDataReference(visibility.InvZ);
        ref var ids = ref MemoryMarshal.GetArrayDataReference(visibility.Triangle);
        var lanes = Vector<float>.Count;
        var one = Vector<float>.One;
        var slack = new Vector<float>(-EdgeEpsilon);
        for (var e = _bandStarts[band]; e < _bandStarts[band + 1]; e++)
        {
            ref var s = ref _setup[_binned[e]];
            int y0 = Math.Max(s.MinY, bandY0), y1 = Math.Min(s.MaxY, bandY1);
            Vector<float> a0 = new(s.A0), a1 = new(s.A1), az = new(s.Az);
            var id = new Vector<int>(s.Triangle);
            for (var y = y0; y <= y1; y++)
            {
                float r0 = s.B0 * y + s.C0, r1 = s.B1 * y + s.C1, rz = s.Bz * y + s.Cz;
                // Only the pixels between the edges on this row, not the whole bounding box (a wall's
                // triangle leaves half of it empty). One pixel of margin each side keeps every pixel
                // the test below would take; the test still decides each one.
                float lo = s.MinX, hi = s.MaxX;
                Clip(s.A0, r0, ref lo, ref hi);
                Clip(s.A1, r1, ref lo, ref hi);
                Clip(-(s.A0 + s.A1), 1f - r0 - r1, ref lo, ref hi);
                if (!(lo <= hi + 2f)) continue;
                int xFirst = Math.Max(s.MinX, (int)MathF.Floor(lo) - 1) / lanes * lanes, xLast = Math.Min(s.MaxX, (int)MathF.Ceiling(hi) + 1);
                var row = (nuint)((y - bandY0) * _stride);
                for (var x = xFirst; x <= xLast; x += lanes)
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

    /// <summary>Narrows [lo, hi] to the x where the edge function a * x + r passes the rasterizer's test.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Clip(float a, float r, ref float lo, ref float hi)
    {
        var at = (-EdgeEpsilon - r) / a;
        if (a > 0) lo = Math.Max(lo, at);
        else if (a < 0) hi = Math.Min(hi, at);
        else if (r < -EdgeEpsilon) hi = float.NegativeInfinity;
    }

    private void ShadeBand(int band, BandVisibility visibility, SceneMesh mesh, Intrinsics k, Memory<byte> rgb, Memory<float> depth, float gain)
    {
        int y0 = band << BandShift, y1 = Math.Min(_height, (band + 1) << BandShift);
        if (rgb.IsEmpty && depth.IsEmpty) return;
        if (Avx2.IsSupported)
        {
            for (var y = y0; y < y1; y++) ShadeRowAvx2(y, (y - y0) * _stride, visibility, rgb.Span, depth.Span, gain);
            return;
        }
        for (var y = y0; y < y1; y++) ShadeRow(mesh, k, y, (y - y0) * _stride, visibility, rgb.Span, depth.Span, gain);
    }

    private static readonly Vector256<float> Lanes8 = Vector256.Create(0f, 1, 2, 3, 4, 5, 6, 7);

    /// <summary>Per-lane triangle data for 8 pixels: broadcast from one record when the span lies on
    /// one triangle, gathered lane by lane when it does not. Either way the same values reach the
    /// same arithmetic, so a pixel's colour does not depend on its neighbours.</summary>
    private struct SpanTriangles
    {
        public Vector256<float> Ux, Uy, Uc, Vx, Vy, Vc;
        public Vector256<float> C0R, C0G, C0B, C1R, C1G, C1B, C2R, C2G, C2B;
        public Vector256<float> U0, V0, U1, V1, U2, V2;
        public Vector256<int> TexOffset, TexWidth, TexHeight;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Broadcast(float* record, float* plane, bool textured, out SpanTriangles s)
    {
        s.Ux = Vector256.Create(plane[PlaneUx]); s.Uy = Vector256.Create(plane[PlaneUy]); s.Uc = Vector256.Create(plane[PlaneUc]);
        s.Vx = Vector256.Create(plane[PlaneVx]); s.Vy = Vector256.Create(plane[PlaneVy]); s.Vc = Vector256.Create(plane[PlaneVc]);
        s.C0R = Vector256.Create(record[MeshShading.C0]); s.C0G = Vector256.Create(record[MeshShading.C0 + 1]); s.C0B = Vector256.Create(record[MeshShading.C0 + 2]);
        s.C1R = Vector256.Create(record[MeshShading.C1]); s.C1G = Vector256.Create(record[MeshShading.C1 + 1]); s.C1B = Vector256.Create(record[MeshShading.C1 + 2]);
        s.C2R = Vector256.Create(record[MeshShading.C2]); s.C2G = Vector256.Create(record[MeshShading.C2 + 1]); s.C2B = Vector256.Create(record[MeshShading.C2 + 2]);
        if (!textured)
        {
            s.U0 = s.V0 = s.U1 = s.V1 = s.U2 = s.V2 = default;
            s.TexOffset = s.TexWidth = s.TexHeight = default;
            return;
        }
        s.U0 = Vector256.Create(record[MeshShading.Uv0]); s.V0 = Vector256.Create(record[MeshShading.Uv0 + 1]);
        s.U1 = Vector256.Create(record[MeshShading.Uv1]); s.V1 = Vector256.Create(record[MeshShading.Uv1 + 1]);
        s.U2 = Vector256.Create(record[MeshShading.Uv2]); s.V2 = Vector256.Create(record[MeshShading.Uv2 + 1]);
        var ints = (int*)record;
        s.TexOffset = Vector256.Create(ints[MeshShading.TexOffset]);
        s.TexWidth = Vector256.Create(ints[MeshShading.TexWidth]);
        s.TexHeight = Vector256.Create(ints[MeshShading.TexHeight]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Gather(float* records, float* planes, Vector256<int> ids, bool textured, out SpanTriangles s)
    {
        var r = Avx2.MultiplyLow(ids, Vector256.Create(MeshShading.Stride));
        var p = Avx2.ShiftLeftLogical(ids, 3); // PlaneStride = 8
        s.Ux = Avx2.GatherVector256(planes + PlaneUx, p, 4); s.Uy = Avx2.GatherVector256(planes + PlaneUy, p, 4); s.Uc = Avx2.GatherVector256(planes + PlaneUc, p, 4);
        s.Vx = Avx2.GatherVector256(planes + PlaneVx, p, 4); s.Vy = Avx2.GatherVector256(planes + PlaneVy, p, 4); s.Vc = Avx2.GatherVector256(planes + PlaneVc, p, 4);
        s.C0R = Avx2.GatherVector256(records + MeshShading.C0, r, 4); s.C0G = Avx2.GatherVector256(records + MeshShading.C0 + 1, r, 4); s.C0B = Avx2.GatherVector256(records + MeshShading.C0 + 2, r, 4);
        s.C1R = Avx2.GatherVector256(records + MeshShading.C1, r, 4); s.C1G = Avx2.GatherVector256(records + MeshShading.C1 + 1, r, 4); s.C1B = Avx2.GatherVector256(records + MeshShading.C1 + 2, r, 4);
        s.C2R = Avx2.GatherVector256(records + MeshShading.C2, r, 4); s.C2G = Avx2.GatherVector256(records + MeshShading.C2 + 1, r, 4); s.C2B = Avx2.GatherVector256(records + MeshShading.C2 + 2, r, 4);
        if (!textured)
        {
            s.U0 = s.V0 = s.U1 = s.V1 = s.U2 = s.V2 = default;
            s.TexOffset = s.TexWidth = s.TexHeight = default;
            return;
        }
        s.U0 = Avx2.GatherVector256(records + MeshShading.Uv0, r, 4); s.V0 = Avx2.GatherVector256(records + MeshShading.Uv0 + 1, r, 4);
        s.U1 = Avx2.GatherVector256(records + MeshShading.Uv1, r, 4); s.V1 = Avx2.GatherVector256(records + MeshShading.Uv1 + 1, r, 4);
        s.U2 = Avx2.GatherVector256(records + MeshShading.Uv2, r, 4); s.V2 = Avx2.GatherVector256(records + MeshShading.Uv2 + 1, r, 4);
        var ints = (int*)records;
        s.TexOffset = Avx2.GatherVector256(ints + MeshShading.TexOffset, r, 4);
        s.TexWidth = Avx2.GatherVector256(ints + MeshShading.TexWidth, r, 4);
        s.TexHeight = Avx2.GatherVector256(ints + MeshShading.TexHeight, r, 4);
    }

    /// <summary>The other triangle of a span that shows exactly two (and no background), or null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int? TwoTriangles(Vector256<int> ids, int first)
    {
        var isFirst = Vector256.Equals(ids, Vector256.Create(first));
        var other = ids.GetElement(BitOperations.TrailingZeroCount(~isFirst.ExtractMostSignificantBits() & 0xff));
        if (first < 0 || other < 0) return null;
        return Vector256.EqualsAll(isFirst | Vector256.Equals(ids, Vector256.Create(other)), Vector256<int>.AllBitsSet) ? other : null;
    }

    /// <summary>Packed RGB of 8 pixels at <paramref name="xs"/>, row <paramref name="ys"/>, depths <paramref name="z"/>, each lane
    /// shaded with its lane of <paramref name="s"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<int> ShadeSpan(in SpanTriangles s, Vector256<float> xs, Vector256<float> ys, Vector256<float> z,
                                                   bool textured, int* texels, Vector256<float> gains)
    {
        var zero = Vector256<float>.Zero;
        var one = Vector256<float>.One;
        var u = (s.Ux * xs + s.Uy * ys + s.Uc) * z;
        var v = (s.Vx * xs + s.Vy * ys + s.Vc) * z;
        // Avx.Max(a, 0) is 0 for NaN a; clamp to the triangle as the exact ray hit would.
        u = Avx.Min(Avx.Max(u, zero), one);
        v = Avx.Min(Avx.Max(v, zero), one - u);
        var w = one - u - v;
        var r = s.C0R * w + s.C1R * u + s.C2R * v;
        var g = s.C0G * w + s.C1G * u + s.C2G * v;
        var b = s.C0B * w + s.C1B * u + s.C2B * v;
        if (textured)
        {
            var tu = s.U0 * w + s.U1 * u + s.U2 * v;
            var tv = s.V0 * w + s.V1 * u + s.V2 * v;
            var (tr, tg, tb) = SampleBilinear(texels, s.TexOffset, s.TexWidth, s.TexHeight, tu, tv);
            r *= tr;
            g *= tg;
            b *= tb;
        }
        return ToByte(r * gains) | Avx2.ShiftLeftLogical(ToByte(g * gains), 8) | Avx2.ShiftLeftLogical(ToByte(b * gains), 16);
    }

    /// <param name="row">Where row <paramref name="y"/> starts in the band's visibility buffers.</param>
    private unsafe void ShadeRowAvx2(int y, int row, BandVisibility visibility, Span<byte> rgb, Span<float> depth, float gain)
    {
        var shading = _shading!;
        var records = shading.Triangles;
        var textured = shading.Textured;
        var texels = shading.Texels;
        ref var invZRef = ref MemoryMarshal.GetArrayDataReference(visibility.InvZ);
        ref var idsRef = ref MemoryMarshal.GetArrayDataReference(visibility.Triangle);
        fixed (float* planes = _planes)
        {
            var zero = Vector256<float>.Zero;
            var one = Vector256<float>.One;
            var ys = Vector256.Create((float)y);
            // Texture samples come in 0-255: fold their 1/255 into the exposure gain.
            var gains = Vector256.Create(textured ? gain / 255f : gain);
            Span<int> packed = stackalloc int[8];
            Span<float> depths = stackalloc float[8];
            for (var x = 0; x < _width; x += 8)
            {
                var at = (nuint)(row + x);
                var outAt = y * _width + x;
                var full = x + 8 <= _width;
                var ids = Vector256.LoadUnsafe(ref idsRef, at);
                var first = ids.ToScalar();
                var uniform = Vector256.EqualsAll(ids, Vector256.Create(first));
                if (uniform && first < 0)
                {
                    if (full)
                    {
                        if (!depth.IsEmpty) zero.StoreUnsafe(ref MemoryMarshal.GetReference(depth), (nuint)outAt);
                        if (!rgb.IsEmpty) rgb.Slice(3 * outAt, 24).Clear();
                    }
                    else
                    {
                        var n = _width - x;
                        if (!depth.IsEmpty) depth.Slice(outAt, n).Clear();
                        if (!rgb.IsEmpty) rgb.Slice(3 * outAt, 3 * n).Clear();
                    }
                    continue;
                }
                var background = Vector256.LessThan(ids, Vector256<int>.Zero);
                var z = one / Vector256.LoadUnsafe(ref invZRef, at);
                if (!depth.IsEmpty)
                {
                    var d = Vector256.AndNot(z, background.AsSingle());
                    if (full) d.StoreUnsafe(ref MemoryMarshal.GetReference(depth), (nuint)outAt);
                    else
                    {
                        d.CopyTo(depths);
                        depths[..(_width - x)].CopyTo(depth[outAt..]);
                    }
                }
                if (rgb.IsEmpty) continue;

                var xs = Vector256.Create((float)x) + Lanes8;
                SpanTriangles s;
                Vector256<int> rgbPacked;
                if (uniform)
                {
                    Broadcast(records + first * MeshShading.Stride, planes + first * PlaneStride, textured, out s);
                    rgbPacked = ShadeSpan(s, xs, ys, z, textured, texels, gains);
                }
                else if (TwoTriangles(ids, first) is { } second)
                {
                    // A span across one edge, the commonest mixed span: shading all 8 lanes as each triangle and
                    // keeping each lane's own costs less than 24 gathers, and gives the same values.
                    Broadcast(records + first * MeshShading.Stride, planes + first * PlaneStride, textured, out s);
                    var asFirst = ShadeSpan(s, xs, ys, z, textured, texels, gains);
                    Broadcast(records + second * MeshShading.Stride, planes + second * PlaneStride, textured, out s);
                    rgbPacked = Vector256.ConditionalSelect(Vector256.Equals(ids, Vector256.Create(first)), asFirst, ShadeSpan(s, xs, ys, z, textured, texels, gains));
                }
                else
                {
                    Gather(records, planes, Vector256.AndNot(ids, background), textured, out s);
                    rgbPacked = Vector256.AndNot(ShadeSpan(s, xs, ys, z, textured, texels, gains), background);
                }
                ref var dst = ref rgb[3 * outAt];
                if (x + 10 <= _width)
                {
                    // Each 128-bit half packs its 4 pixels into 12 bytes; the 4 bytes of padding
                    // after each store are rewritten by the next store, and the last ones land
                    // inside this row's next span, which rewrites them in turn.
                    var bytes = Avx2.Shuffle(rgbPacked.AsByte(), PackRgb);
                    bytes.GetLower().StoreUnsafe(ref dst);
                    bytes.GetUpper().StoreUnsafe(ref Unsafe.Add(ref dst, 12));
                }
                else
                {
                    rgbPacked.CopyTo(packed);
                    for (int i = 0, n = Math.Min(8, _width - x); i < n; i++)
                    {
                        Unsafe.Add(ref dst, 3 * i) = (byte)packed[i];
                        Unsafe.Add(ref dst, 3 * i + 1) = (byte)(packed[i] >> 8);
                        Unsafe.Add(ref dst, 3 * i + 2) = (byte)(packed[i] >> 16);
                    }
                }
            }
        }
    }

    private static readonly Vector256<byte> PackRgb = Vector256.Create(
        (byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80,
        0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> ToByte(Vector256<float> v) =>
        Avx.ConvertToVector256Int32WithTruncation(Avx.Min(Avx.Max(v + Vector256.Create(0.5f), Vector256<float>.Zero), Vector256.Create(255f)));

    /// <summary>Bilinear, wrap-around texture fetch of 8 pixels from the mesh's texture atlas
    /// (same addressing as <see cref="Texture.Sample"/>), in 0-255 units.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe (Vector256<float> R, Vector256<float> G, Vector256<float> B) SampleBilinear(
        int* texels, Vector256<int> offset, Vector256<int> width, Vector256<int> height, Vector256<float> u, Vector256<float> v)
    {
        var one = Vector256<float>.One;
        var half = Vector256.Create(0.5f);
        var minusOne = Vector256.Create(-1f);
        var ones = Vector256.Create(1);
        var wf = Avx.ConvertToVector256Single(width);
        var hf = Avx.ConvertToVector256Single(height);
        // glTF/OBJ convention: v = 0 is the top row. x is in [-0.5, size - 0.5]; clamping to
        // [-1, size - 0.5] changes nothing there and keeps NaN (from huge UVs) inside the texture.
        var x = (u - Avx.RoundToNegativeInfinity(u)) * wf - half;
        var y = (v - Avx.RoundToNegativeInfinity(v)) * hf - half;
        x = Avx.Min(Avx.Max(x, minusOne), wf - half);
        y = Avx.Min(Avx.Max(y, minusOne), hf - half);
        var xf = Avx.RoundToNegativeInfinity(x);
        var yf = Avx.RoundToNegativeInfinity(y);
        var fx = x - xf;
        var fy = y - yf;
        var x0 = Avx.ConvertToVector256Int32WithTruncation(xf);
        var y0 = Avx.ConvertToVector256Int32WithTruncation(yf);
        var x1 = x0 + ones;
        var y1 = y0 + ones;
        // x0 is in [-1, width - 1]: wrap with compares, not a modulo.
        var xa = Avx2.BlendVariable(x0, width - ones, Avx2.CompareGreaterThan(Vector256<int>.Zero, x0));
        var xb = Vector256.AndNot(x1, Avx2.CompareGreaterThan(x1, width - ones));
        var ya = Avx2.BlendVariable(y0, height - ones, Avx2.CompareGreaterThan(Vector256<int>.Zero, y0));
        var yb = Vector256.AndNot(y1, Avx2.CompareGreaterThan(y1, height - ones));
        var rowA = Avx2.MultiplyLow(ya, width) + offset;
        var rowB = Avx2.MultiplyLow(yb, width) + offset;
        var t00 = Avx2.GatherVector256(texels, rowA + xa, 4);
        var t10 = Avx2.GatherVector256(texels, rowA + xb, 4);
        var t01 = Avx2.GatherVector256(texels, rowB + xa, 4);
        var t11 = Avx2.GatherVector256(texels, rowB + xb, 4);
        var w00 = (one - fx) * (one - fy);
        var w10 = fx * (one - fy);
        var w01 = (one - fx) * fy;
        var w11 = fx * fy;
        var mask = Vector256.Create(0xFF);
        static Vector256<float> Byte0(Vector256<int> t, Vector256<int> mask) => Avx.ConvertToVector256Single(t & mask);
        static Vector256<float> Byte1(Vector256<int> t, Vector256<int> mask) => Avx.ConvertToVector256Single(Avx2.ShiftRightLogical(t, 8) & mask);
        static Vector256<float> Byte2(Vector256<int> t) => Avx.ConvertToVector256Single(Avx2.ShiftRightLogical(t, 16));
        var r = Byte0(t00, mask) * w00 + Byte0(t10, mask) * w10 + Byte0(t01, mask) * w01 + Byte0(t11, mask) * w11;
        var g = Byte1(t00, mask) * w00 + Byte1(t10, mask) * w10 + Byte1(t01, mask) * w01 + Byte1(t11, mask) * w11;
        var b = Byte2(t00) * w00 + Byte2(t10) * w10 + Byte2(t01) * w01 + Byte2(t11) * w11;
        return (r, g, b);
    }

    /// <summary>Portable fallback (no AVX2): exact ray/triangle barycentrics per pixel.</summary>
    private void ShadeRow(SceneMesh mesh, Intrinsics k, int y, int row, BandVisibility visibility, Span<byte> rgb, Span<float> depth, float gain)
    {
        var rayY = -(y + 0.5f - k.Cy) / k.Fy;
        var surface = new Surface { Triangle = -1 };
        for (var x = 0; x < _width; x++)
        {
            var at = row + x;
            var outAt = y * _width + x;
            var t = visibility.Triangle[at];
            if (!depth.IsEmpty) depth[outAt] = t < 0 ? 0f : 1f / visibility.InvZ[at];
            if (rgb.IsEmpty) continue;
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

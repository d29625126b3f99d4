using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Rendering;

/// <summary>
/// A deferred CPU rasterizer, run band by band (16 rows). Pass 1 (visibility) scan-converts every
/// triangle overlapping the band into an inverse-depth buffer and a triangle-id buffer, SIMD across
/// pixels. Pass 2 (shading) then touches each pixel of the band once, while it is still in cache:
/// the winning triangle's barycentrics come from per-triangle planes (u/z and v/z are affine in
/// screen space, set up once per triangle and view from the unclipped camera-space triangle) times
/// the pixel's exact depth, which gives perspective-correct colours and UVs, 8 pixels per step.
/// Deterministic: each band is owned by one worker and triangles are visited in mesh order
/// (ties keep the first triangle); shading is a pure function of the pixel.
/// </summary>
public sealed partial class Rasterizer
{
    private const float Near = 0.01f;
    private const int BandShift = 4; // 16-row bands: enough bands to balance, few enough to bin cheaply
    private const int SetupChunks = 32;
    // Barycentric slack so a pixel centre exactly on a shared edge is never dropped by both triangles.
    private const float EdgeEpsilon = 1e-5f;

    private readonly int _width, _height, _stride, _bandCount;
    private readonly int[] _bandCounts;
    private readonly int[] _bandStarts;
    private readonly int[] _chunkSetupStarts = new int[SetupChunks];
    private readonly int[] _chunkSetupCounts = new int[SetupChunks];
    private Vector3[] _cameraSpace = [];
    private SetupTriangle[] _setup = [];
    private int[] _binned = [];
    // Per triangle and view: u/z and v/z as planes in pixel coordinates (PlaneStride floats each).
    private float[] _planes = [];
    private MeshShading? _shading;
    // Per room, the part of the image it may show in this view (ViewCells); null: draw every triangle.
    private ViewWindow?[]? _roomWindows;

    public Rasterizer(int width, int height)
    {
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), "image size must be positive");
        _width = width;
        _height = height;
        // Rows padded to whole SIMD vectors: Vector<float> for pass 1, 8 floats for pass 2.
        var lanes = Math.Max(Vector<float>.Count, 8);
        _stride = (width + lanes - 1) / lanes * lanes;
        _bandCount = (height + (1 << BandShift) - 1) >> BandShift;
        _bandCounts = new int[_bandCount];
        _bandStarts = new int[_bandCount + 1];
    }

    /// <summary>Renders one view. <paramref name="rgb"/> (H*W*3) and <paramref name="depth"/> (H*W,
    /// z-depth in metres, 0 = no geometry) may be empty when not wanted.</summary>
    public void Render(SceneMesh mesh, Intrinsics k, RigidPose cameraToWorld, Memory<byte> rgb, Memory<float> depth, float gain = 1f)
    {
        Prepare(mesh, k, cameraToWorld);
        Parallel.For(0, _bandCount, band => RenderBand(band, mesh, k, rgb, depth, gain));
    }

    internal int BandCount => _bandCount;

    private ViewWindow Image => new(0, 0, _width - 1, _height - 1);

    /// <summary>The serial-ish half of a view: transform, triangle setup (parallel over chunks), binning.</summary>
    internal void Prepare(SceneMesh mesh, Intrinsics k, RigidPose cameraToWorld)
    {
        if (k.Width != _width || k.Height != _height) throw new ArgumentException($"intrinsics are {k.Width}x{k.Height}, the rasterizer {_width}x{_height}");
        _shading = MeshShading.For(mesh);
        var toCamera = TransformVertices(mesh, cameraToWorld);
        _roomWindows = mesh.Cells?.Windows(cameraToWorld.Position, Image, (p, w) => ThroughPortal(p, w, toCamera, k));
        SetupTriangles(mesh, k);
        BinIntoBands();
    }

    /// <summary>Visibility then shading of one band; bands are independent once <see cref="Prepare"/> ran.</summary>
    internal void RenderBand(int band, SceneMesh mesh, Intrinsics k, Memory<byte> rgb, Memory<float> depth, float gain)
    {
        var visibility = BandVisibility.ForThisThread((1 << BandShift) * _stride);
        RasterizeBand(band, visibility);
        ShadeBand(band, visibility, mesh, k, rgb, depth, gain);
    }

    /// <summary>
    /// One band's inverse-depth and triangle-id buffers, kept per thread: a band is rasterized and
    /// shaded on one thread, and a buffer reused band after band stays in that core's cache, where
    /// whole-frame buffers (2 MB a view) went through memory every frame.
    /// </summary>
    private sealed class BandVisibility(int length)
    {
        [ThreadStatic] private static BandVisibility? _current;

        public readonly float[] InvZ = new float[length];
        public readonly int[] Triangle = new int[length];

        public static BandVisibility ForThisThread(int length) =>
            _current is { } v && v.InvZ.Length >= length ? v : _current = new BandVisibility(length);
    }

    /// <returns>The world-to-camera transform.</returns>
    private Matrix4x4 TransformVertices(SceneMesh mesh, RigidPose cameraToWorld)
    {
        var n = mesh.Positions.Length;
        if (_cameraSpace.Length < n) _cameraSpace = new Vector3[n];
        var toCamera = Matrix4x4.CreateTranslation(-cameraToWorld.Position) *
                       Matrix4x4.CreateFromQuaternion(Quaternion.Conjugate(cameraToWorld.Rotation));
        var positions = mesh.Positions;
        var output = _cameraSpace;
        Parallel.For(0, SetupChunks, c =>
        {
            int start = (int)((long)n * c / SetupChunks), end = (int)((long)n * (c + 1) / SetupChunks);
            for (var i = start; i < end; i++) output[i] = Vector3.Transform(positions[i], toCamera);
        });
        return toCamera;
    }

    /// <summary>What of <paramref name="window"/> the portal leaves: the pixels around its outline's bounding
    /// box, with one to spare; null when its corners all lie behind the near plane, or all beyond the same image
    /// edge (Outcode's lines are planes through the camera, valid behind it too). A portal the near plane
    /// cuts leaves the whole window: a camera standing in a doorway sees through all of it.</summary>
    private static ViewWindow? ThroughPortal(Portal p, ViewWindow window, Matrix4x4 toCamera, Intrinsics k)
    {
        ReadOnlySpan<Vector3> corners = [Vector3.Transform(p.C0, toCamera), Vector3.Transform(p.C1, toCamera),
                                         Vector3.Transform(p.C2, toCamera), Vector3.Transform(p.C3, toCamera)];
        int outside = 15, inFront = 0;
        float minX = float.MaxValue, maxX = float.MinValue, minY = float.MaxValue, maxY = float.MinValue;
        foreach (var c in corners)
        {
            outside &= Outcode(c, k);
            if (-c.Z < Near) continue;
            inFront++;
            float x = k.Cx + k.Fx * c.X / -c.Z, y = k.Cy - k.Fy * c.Y / -c.Z;
            (minX, maxX, minY, maxY) = (MathF.Min(minX, x), MathF.Max(maxX, x), MathF.Min(minY, y), MathF.Max(maxY, y));
        }
        if (inFront == 0 || outside != 0) return null;
        if (inFront < 4) return window;
        // Pixel (x, y) is sampled at its centre: the same rounding as TrySetup, and one pixel more.
        var seen = window.Intersect(new ViewWindow((int)MathF.Floor(minX - 0.5f) - 1, (int)MathF.Floor(minY - 0.5f) - 1,
                                                   (int)MathF.Ceiling(maxX - 0.5f) + 1, (int)MathF.Ceiling(maxY - 0.5f) + 1));
        return seen.IsEmpty ? null : seen;
    }

    private void SetupTriangles(SceneMesh mesh, Intrinsics k)
    {
        var triangles = mesh.TriangleCount;
        // Near clipping turns one triangle into at most two.
        if (_setup.Length < 2 * triangles) _setup = new SetupTriangle[2 * triangles];
        if (_planes.Length < PlaneStride * triangles) _planes = GC.AllocateArray<float>(PlaneStride * triangles, pinned: true);
        var (windows, rooms) = (_roomWindows, mesh.Cells?.TriangleRoom);
        var image = Image;
        Parallel.For(0, SetupChunks, c =>
        {
            int start = (int)((long)triangles * c / SetupChunks), end = (int)((long)triangles * (c + 1) / SetupChunks);
            var written = 0;
            var outSpan = _setup.AsSpan(2 * start, 2 * (end - start));
            Span<Vector3> clipped = stackalloc Vector3[4];
            for (var t = start; t < end; t++)
            {
                var clip = image;
                if (windows != null && rooms![t] >= 0)
                {
                    if (windows[rooms[t]] is not { } w) continue;
                    clip = w;
                }
                var a = _cameraSpace[mesh.Indices[3 * t]];
                var b = _cameraSpace[mesh.Indices[3 * t + 1]];
                var d = _cameraSpace[mesh.Indices[3 * t + 2]];
                // Camera looks down -z: a point is in front when -z >= Near.
                bool ia = -a.Z >= Near, ib = -b.Z >= Near, id = -d.Z >= Near;
                var before = written;
                // A closed, outward-wound mesh: a face turned away is hidden behind the solid's front.
                if (mesh.SingleSided && Vector3.Dot(Vector3.Cross(b - a, d - a), a) >= 0) continue;
                if (ia && ib && id)
                {
                    // Most triangles of a large scene are off to the side: reject them in float before
                    // TrySetup's double projection (which would reject them too, with a pixel to spare).
                    if ((Outcode(a, k) & Outcode(b, k) & Outcode(d, k)) != 0) continue;
                    if (TrySetup(a, b, d, t, k, clip, out outSpan[written])) written++;
                }
                else if (ia || ib || id)
                {
                    var count = ClipNear(a, b, d, clipped);
                    for (var i = 1; i + 1 < count; i++)
                        if (TrySetup(clipped[0], clipped[i], clipped[i + 1], t, k, clip, out outSpan[written])) written++;
                }
                if (written != before) SetupPlanes(a, b, d, k, _planes.AsSpan(PlaneStride * t, PlaneStride));
            }
            _chunkSetupStarts[c] = 2 * start;
            _chunkSetupCounts[c] = written;
        });
    }

    /// <summary>Bits for a point in front of the camera projecting more than a pixel left of, right
    /// of, above or below the image.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Outcode(Vector3 p, Intrinsics k)
    {
        float w = -p.Z, x = k.Fx * p.X, y = -k.Fy * p.Y;
        return (x < (-1f - k.Cx) * w ? 1 : 0) | (x > (k.Width + 1f - k.Cx) * w ? 2 : 0) |
               (y < (-1f - k.Cy) * w ? 4 : 0) | (y > (k.Height + 1f - k.Cy) * w ? 8 : 0);
    }

    private static int ClipNear(Vector3 a, Vector3 b, Vector3 c, Span<Vector3> output)
    {
        var count = 0;
        ReadOnlySpan<Vector3> polygon = [a, b, c];
        for (var i = 0; i < 3; i++)
        {
            var p = polygon[i];
            var q = polygon[(i + 1) % 3];
            float dp = -p.Z - Near, dq = -q.Z - Near;
            if (dp >= 0) output[count++] = p;
            if ((dp >= 0) != (dq >= 0)) output[count++] = Vector3.Lerp(p, q, dp / (dp - dq));
        }
        return count;
    }

    /// <param name="clip">The pixels the triangle may cover (its room's window).</param>
    private static bool TrySetup(Vector3 a, Vector3 b, Vector3 c, int triangle, Intrinsics k, ViewWindow clip, out SetupTriangle s)
    {
        s = default;
        double iz0 = 1.0 / -a.Z, iz1 = 1.0 / -b.Z, iz2 = 1.0 / -c.Z;
        double x0 = k.Cx + k.Fx * a.X * iz0, y0 = k.Cy - k.Fy * a.Y * iz0;
        double x1 = k.Cx + k.Fx * b.X * iz1, y1 = k.Cy - k.Fy * b.Y * iz1;
        double x2 = k.Cx + k.Fx * c.X * iz2, y2 = k.Cy - k.Fy * c.Y * iz2;
        double minX = Math.Min(x0, Math.Min(x1, x2)), maxX = Math.Max(x0, Math.Max(x1, x2));
        double minY = Math.Min(y0, Math.Min(y1, y2)), maxY = Math.Max(y0, Math.Max(y1, y2));
        // Pixel (x, y) is sampled at its centre (x + 0.5, y + 0.5).
        int px0 = (int)Math.Max(clip.X0, Math.Floor(minX - 0.5)), px1 = (int)Math.Min(clip.X1, Math.Ceiling(maxX - 0.5));
        int py0 = (int)Math.Max(clip.Y0, Math.Floor(minY - 0.5)), py1 = (int)Math.Min(clip.Y1, Math.Ceiling(maxY - 0.5));
        if (px0 > px1 || py0 > py1) return false;
        var area = (x1 - x0) * (y2 - y0) - (x2 - x0) * (y1 - y0);
        if (Math.Abs(area) < 1e-12) return false;
        var inv = 1.0 / area;
        // Barycentric weight of vertex i as a plane in pixel coordinates, centres folded into C.
        double a0 = (y1 - y2) * inv, b0 = (x2 - x1) * inv, c0 = (x1 * y2 - x2 * y1) * inv;
        double a1 = (y2 - y0) * inv, b1 = (x0 - x2) * inv, c1 = (x2 * y0 - x0 * y2) * inv;
        c0 += 0.5 * (a0 + b0);
        c1 += 0.5 * (a1 + b1);
        // 1/z is affine in screen space: the exact depth of a planar triangle at each pixel.
        double az = a0 * (iz0 - iz2) + a1 * (iz1 - iz2), bz = b0 * (iz0 - iz2) + b1 * (iz1 - iz2);
        var cz = iz2 + c0 * (iz0 - iz2) + c1 * (iz1 - iz2);
        s = new SetupTriangle
        {
            MinX = px0, MaxX = px1, MinY = py0, MaxY = py1, Triangle = triangle,
            A0 = (float)a0, B0 = (float)b0, C0 = (float)c0,
            A1 = (float)a1, B1 = (float)b1, C1 = (float)c1,
            Az = (float)az, Bz = (float)bz, Cz = (float)cz,
        };
        return true;
    }

    private const int PlaneStride = 8;
    private const int PlaneUx = 0, PlaneUy = 1, PlaneUc = 2, PlaneVx = 3, PlaneVy = 4, PlaneVc = 5;

    /// <summary>
    /// Barycentrics (u, v) of vertices b and c where the ray through pixel (x, y) meets the plane of
    /// triangle (a, b, c): Moller-Trumbore from the camera centre gives u = dot(ray, a x e2) / det and
    /// v = dot(ray, e1 x a) / det with det = -dot(ray, n), and 1/z = dot(ray, n) / dot(n, a); so
    /// u = z * dot(ray, -(a x e2) / dot(n, a)), a plane in pixel coordinates times the pixel's depth.
    /// </summary>
    private static void SetupPlanes(Vector3 a, Vector3 b, Vector3 c, Intrinsics k, Span<float> planes)
    {
        double ax = a.X, ay = a.Y, az = a.Z;
        double e1x = b.X - ax, e1y = b.Y - ay, e1z = b.Z - az;
        double e2x = c.X - ax, e2y = c.Y - ay, e2z = c.Z - az;
        double nx = e1y * e2z - e1z * e2y, ny = e1z * e2x - e1x * e2z, nz = e1x * e2y - e1y * e2x;
        var na = nx * ax + ny * ay + nz * az;
        if (Math.Abs(na) < 1e-30)
        {
            planes.Clear(); // the plane passes through the camera: seen edge-on, u = v = 0
            return;
        }
        var s = -1.0 / na;
        // a x e2 and e1 x a, scaled.
        double ux = (ay * e2z - az * e2y) * s, uy = (az * e2x - ax * e2z) * s, uz = (ax * e2y - ay * e2x) * s;
        double vx = (e1y * az - e1z * ay) * s, vy = (e1z * ax - e1x * az) * s, vz = (e1x * ay - e1y * ax) * s;
        // ray = ((x + 0.5 - cx) / fx, -(y + 0.5 - cy) / fy, -1)
        double fx = k.Fx, fy = k.Fy, ox = (0.5 - k.Cx) / fx, oy = -(0.5 - k.Cy) / fy;
        planes[PlaneUx] = (float)(ux / fx);
        planes[PlaneUy] = (float)(-uy / fy);
        planes[PlaneUc] = (float)(ux * ox + uy * oy - uz);
        planes[PlaneVx] = (float)(vx / fx);
        planes[PlaneVy] = (float)(-vy / fy);
        planes[PlaneVc] = (float)(vx * ox + vy * oy - vz);
    }

    private void BinIntoBands()
    {
        Array.Clear(_bandCounts);
        for (var c = 0; c < SetupChunks; c++)
        {
            var start = _chunkSetupStarts[c];
            for (var i = 0; i < _chunkSetupCounts[c]; i++)
            {
                ref var s = ref _setup[start + i];
                for (int band = s.MinY >> BandShift, last = s.MaxY >> BandShift; band <= last; band++) _bandCounts[band]++;
            }
        }
        _bandStarts[0] = 0;
        for (var band = 0; band < _bandCount; band++) _bandStarts[band + 1] = _bandStarts[band] + _bandCounts[band];
        var total = _bandStarts[_bandCount];
        if (_binned.Length < total) _binned = new int[total + total / 4];
        Array.Copy(_bandStarts, _bandCounts, _bandCount); // reuse as fill cursors
        for (var c = 0; c < SetupChunks; c++)
        {
            var start = _chunkSetupStarts[c];
            for (var i = 0; i < _chunkSetupCounts[c]; i++)
            {
                ref var s = ref _setup[start + i];
                for (int band = s.MinY >> BandShift, last = s.MaxY >> BandShift; band <= last; band++)
                    _binned[_bandCounts[band]++] = start + i;
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SetupTriangle
    {
        public int MinX, MaxX, MinY, MaxY, Triangle;
        public float A0, B0, C0, A1, B1, C1, Az, Bz, Cz;
    }
}

using System.Globalization;
using System.Numerics;
using DistDepth.SimServer.Geometry;
using DistDepth.SimServer.Navigation;
using DistDepth.SimServer.Rendering;
using DistDepth.SimServer.Scenes;
using OpenCvSharp;

namespace DistDepth.Capture.Tests;

/// <summary>
/// A ZED-2i that never existed: the embedded simulator's procedural rooms seen through ZED-2i geometry
/// (HD720, ~102° horizontal fov, 12 cm baseline) with known lens distortion and a small stereo rotation,
/// written the way the camera streams (side-by-side, unrectified, lossless FFV1) next to its calibration
/// file in the SN&lt;serial&gt;.conf layout Stereolabs writes (factory or calibration tool, see <see cref="ConfStyle"/>).
/// Each raw eye is rendered as an oversized pinhole view from that eye's own pose, then resampled through
/// the distortion model: raw pixel -> undistorted ray -> pinhole pixel.
/// </summary>
internal sealed class SyntheticZed2i
{
    public const int Serial = 38123456;
    /// <summary>[STEREO] as the file holds it: OpenCV's T = (-Baseline, TY, TZ) mm, so the right camera sits near (Baseline, -TY, -TZ).</summary>
    public const double BaselineMm = 119.98, TyMm = 0.21, TzMm = -0.34;
    public static readonly double[] RodriguesHd = [-0.0023, 0.0031, 0.0012]; // RX, CV, RZ
    // The left lens has the rational model's k4-k6 too, which only [LEFT_DISTO] or k4..k6 keys can carry.
    public static readonly PinholeCamera LeftHd = new(528.31, 528.19, 641.24, 361.73, [-0.0412, 0.0095, 0.00031, -0.00018, -0.0046, 0.0021, -0.0009, 0.0004]);
    public static readonly PinholeCamera RightHd = new(527.86, 527.95, 645.08, 359.82, [-0.0405, 0.0091, -0.00022, 0.00027, -0.0044]);

    /// <summary>
    /// How the .conf is written: <c>Factory</c> as calib.stereolabs.com serves a ZED-2i (distortion in every
    /// per-resolution section, CV_), <c>CalibrationTool</c> as stereolabs/zedx-one-capture's
    /// stereo_calibration/main.cpp writes it (fx fy cx cy per resolution, [LEFT_DISTO]/[RIGHT_DISTO],
    /// "key = value"), and <c>CalibrationToolRy</c> the same with the RY_ spelling Stereolabs' docs also use.
    /// </summary>
    public enum ConfStyle { Factory, CalibrationTool, CalibrationToolRy }
    const int Width = 1280, Height = 720;
    // Wide enough that every raw pixel's undistorted ray lands inside.
    static readonly Intrinsics Pinhole = new(1600, 940, 530f, 530f, 800f, 470f);

    readonly SceneMesh mesh;
    readonly NavGrid grid;
    readonly Rasterizer rasterizer = new(Pinhole.Width, Pinhole.Height);
    readonly Random rng;

    public SyntheticZed2i(int seed)
    {
        mesh = ProceduralLayout.Generate((ulong)seed);
        grid = NavGrid.Build(mesh);
        rng = new Random(seed);
    }

    public static StereoCalibration Calibration => new(Width, Height, LeftHd, RightHd, RodriguesHd,
        [-BaselineMm / 1000, TyMm / 1000, TzMm / 1000]);

    /// <summary>One rendered frame: raw eyes (BGR) and the left pinhole view's z-depth for checking.</summary>
    public sealed record Frame(Mat RawLeft, Mat RawRight, float[] PinholeDepth);

    /// <summary>Writes <paramref name="frames"/> frames as SBS video + SN conf; returns both paths and the frames.</summary>
    public (string Video, string Conf, List<Frame> Frames) Write(string dir, int frames)
    {
        var conf = WriteConf(dir, ConfStyle.Factory);
        var video = Path.Combine(dir, "zed2i-synthetic.avi");
        var rendered = new List<Frame>();
        using var writer = new VideoWriter(video, FourCC.FromString("FFV1"), 30, new OpenCvSharp.Size(2 * Width, Height));
        if (!writer.IsOpened()) throw new InvalidOperationException("this OpenCV build cannot write FFV1 video");
        foreach (var pose in Walk(frames))
        {
            var frame = Render(pose);
            using var sbs = new Mat();
            Cv2.HConcat([frame.RawLeft, frame.RawRight], sbs);
            writer.Write(sbs);
            rendered.Add(frame);
        }
        return (video, conf, rendered);
    }

    /// <summary>The world point the raw left camera sees along a ray (OpenCV camera axes), or null for void.</summary>
    public static Vector3? PointSeen(Frame frame, Vector3 rayInLeftCamera)
    {
        float x = rayInLeftCamera.X / rayInLeftCamera.Z, y = rayInLeftCamera.Y / rayInLeftCamera.Z;
        int u = (int)MathF.Round(Pinhole.Fx * x + Pinhole.Cx - 0.5f), v = (int)MathF.Round(Pinhole.Fy * y + Pinhole.Cy - 0.5f);
        if (u < 0 || v < 0 || u >= Pinhole.Width || v >= Pinhole.Height) return null;
        float z = frame.PinholeDepth[v * Pinhole.Width + u];
        return z > 0 ? new Vector3(x * z, y * z, z) : null;
    }

    // Camera 1.3 m up, walking and turning; poses facing a nearby wall are re-drawn so there is depth to see.
    IEnumerable<RigidPose> Walk(int frames)
    {
        var depth = new float[Pinhole.Width * Pinhole.Height];
        int made = 0;
        for (int attempt = 0; made < frames && attempt < 500; attempt++)
        {
            var floor = grid.SamplePoint(rng) ?? throw new InvalidOperationException("the procedural scene has no floor");
            var pose = new RigidPose(floor + new Vector3(0, 1.3f, 0), RigidPose.FromYawPitch(rng.NextSingle() * MathF.Tau, -0.1f));
            rasterizer.Render(mesh, Pinhole, pose, null, depth);
            var valid = depth.Where(d => d > 0).Order().ToArray();
            if (valid.Length < depth.Length * 0.95 || valid[valid.Length / 10] < 1.0f || valid[valid.Length / 2] > 6f) continue;
            made++;
            yield return pose;
        }
        if (made < frames) throw new InvalidOperationException("no pose with enough depth in view");
    }

    Frame Render(RigidPose left)
    {
        var pinholeDepth = new float[Pinhole.Width * Pinhole.Height];
        var rawLeft = RawEye(left, LeftHd, pinholeDepth);
        var rawRight = RawEye(RightPose(left), RightHd, null);
        return new Frame(rawLeft, rawRight, pinholeDepth);
    }

    // OpenCV's X_right = R·X_left + T puts the right camera at C = -Rᵀ·T, turned by Rᵀ, in left camera axes
    // (x right, y down, z forward); the simulator's camera axes are (x, -y, -z).
    static RigidPose RightPose(RigidPose left)
    {
        var c = Calibration;
        Cv2.Rodrigues(c.Rotation, out double[,] r, out _);
        var centre = new Vector3(
            -(float)(r[0, 0] * c.TranslationM[0] + r[1, 0] * c.TranslationM[1] + r[2, 0] * c.TranslationM[2]),
            -(float)(r[0, 1] * c.TranslationM[0] + r[1, 1] * c.TranslationM[1] + r[2, 1] * c.TranslationM[2]),
            -(float)(r[0, 2] * c.TranslationM[0] + r[1, 2] * c.TranslationM[1] + r[2, 2] * c.TranslationM[2]));
        // Right-camera axes in left-camera axes are the columns of Rᵀ (rows of R); flip y and z on both sides.
        double[] s = [1, -1, -1];
        var m = Matrix4x4.Identity;
        // System.Numerics is row-vector: M[i][j] holds column-vector Q[j][i], with Q = S·Rᵀ·S.
        m.M11 = (float)(s[0] * r[0, 0] * s[0]); m.M12 = (float)(s[1] * r[0, 1] * s[0]); m.M13 = (float)(s[2] * r[0, 2] * s[0]);
        m.M21 = (float)(s[0] * r[1, 0] * s[1]); m.M22 = (float)(s[1] * r[1, 1] * s[1]); m.M23 = (float)(s[2] * r[1, 2] * s[1]);
        m.M31 = (float)(s[0] * r[2, 0] * s[2]); m.M32 = (float)(s[1] * r[2, 1] * s[2]); m.M33 = (float)(s[2] * r[2, 2] * s[2]);
        var local = Quaternion.Normalize(Quaternion.CreateFromRotationMatrix(m));
        return new RigidPose(left.TransformPoint(new Vector3(centre.X, -centre.Y, -centre.Z)), Quaternion.Normalize(left.Rotation * local));
    }

    Mat RawEye(RigidPose pose, PinholeCamera camera, float[]? depth)
    {
        var rgb = new byte[Pinhole.Width * Pinhole.Height * 3];
        rasterizer.Render(mesh, Pinhole, pose, rgb, depth);
        using var pinholeRgb = Mat.FromPixelData(Pinhole.Height, Pinhole.Width, MatType.CV_8UC3, rgb);
        using var pinholeBgr = new Mat();
        Cv2.CvtColor(pinholeRgb, pinholeBgr, ColorConversionCodes.RGB2BGR);
        var mapX = new float[Width * Height];
        var mapY = new float[Width * Height];
        Parallel.For(0, Height, v =>
        {
            for (int u = 0; u < Width; u++)
            {
                var (x, y) = Undistort((u - camera.Cx) / camera.Fx, (v - camera.Cy) / camera.Fy, camera.Distortion);
                // The rasterizer samples pixel i at i + 0.5; OpenCV's pixel i is centred on i.
                mapX[v * Width + u] = (float)(Pinhole.Fx * x + Pinhole.Cx - 0.5);
                mapY[v * Width + u] = (float)(Pinhole.Fy * y + Pinhole.Cy - 0.5);
            }
        });
        using var mx = Mat.FromPixelData(Height, Width, MatType.CV_32FC1, mapX);
        using var my = Mat.FromPixelData(Height, Width, MatType.CV_32FC1, mapY);
        var raw = new Mat();
        Cv2.Remap(pinholeBgr, raw, mx, my, InterpolationFlags.Linear, BorderTypes.Replicate);
        return raw;
    }

    /// <summary>Inverts OpenCV's k1 k2 p1 p2 k3 [k4 k5 k6] model by fixed-point iteration (converges for lens-like distortion).</summary>
    static (double X, double Y) Undistort(double xd, double yd, double[] d)
    {
        double x = xd, y = yd;
        for (int i = 0; i < 30; i++)
        {
            double r2 = x * x + y * y, radial = (1 + d[0] * r2 + d[1] * r2 * r2 + d[4] * r2 * r2 * r2)
                / (d.Length > 5 ? 1 + d[5] * r2 + d[6] * r2 * r2 + d[7] * r2 * r2 * r2 : 1);
            double dx = 2 * d[2] * x * y + d[3] * (r2 + 2 * x * x), dy = d[2] * (r2 + 2 * y * y) + 2 * d[3] * x * y;
            x = (xd - dx) / radial;
            y = (yd - dy) / radial;
        }
        return (x, y);
    }

    /// <summary>Writes SN&lt;serial&gt;.conf in <paramref name="style"/>: every resolution (HD as rendered, the others scaled), [STEREO], [MISC].</summary>
    public static string WriteConf(string dir, ConfStyle style)
    {
        var path = Path.Combine(dir, $"SN{Serial}.conf");
        File.WriteAllText(path, style == ConfStyle.Factory ? FactoryText() : CalibrationToolText(style == ConfStyle.CalibrationToolRy ? "RY" : "CV"));
        return path;
    }

    static readonly (string Suffix, int Width)[] Resolutions = [("2K", 2208), ("FHD", 1920), ("HD", 1280), ("VGA", 672)];
    static readonly string[] DistortionKeys = ["k1", "k2", "p1", "p2", "k3", "k4", "k5", "k6"];

    static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    static string FactoryText()
    {
        var text = new System.Text.StringBuilder();
        foreach (var (suffix, w) in Resolutions)
        {
            double s = w / 1280.0;
            foreach (var (side, c) in new[] { ("LEFT", LeftHd), ("RIGHT", RightHd) })
            {
                text.Append($"[{side}_CAM_{suffix}]\ncx={F(c.Cx * s)}\ncy={F(c.Cy * s)}\nfx={F(c.Fx * s)}\nfy={F(c.Fy * s)}\n");
                for (int i = 0; i < c.Distortion.Length; i++) text.Append($"{DistortionKeys[i]}={F(c.Distortion[i])}\n");
                text.Append('\n');
            }
        }
        text.Append($"[STEREO]\nBaseline={F(BaselineMm)}\nTY={F(TyMm)}\nTZ={F(TzMm)}\n");
        foreach (var (suffix, _) in Resolutions)
            text.Append($"CV_{suffix}={F(RodriguesHd[1])}\nRX_{suffix}={F(RodriguesHd[0])}\nRZ_{suffix}={F(RodriguesHd[2])}\n");
        text.Append("\n[MISC]\nSensor_ID=1\n");
        return text.ToString();
    }

    // WriteConfFile's order and spacing; it always writes all eight coefficients.
    static string CalibrationToolText(string yKey)
    {
        var text = new System.Text.StringBuilder();
        foreach (var (suffix, w) in Resolutions)
        {
            double s = w / 1280.0;
            foreach (var (side, c) in new[] { ("LEFT", LeftHd), ("RIGHT", RightHd) })
                text.Append($"[{side}_CAM_{suffix}]\nfx = {F(c.Fx * s)}\nfy = {F(c.Fy * s)}\ncx = {F(c.Cx * s)}\ncy = {F(c.Cy * s)}\n\n");
        }
        foreach (var (side, c) in new[] { ("LEFT", LeftHd), ("RIGHT", RightHd) })
        {
            text.Append($"[{side}_DISTO]\n");
            for (int i = 0; i < DistortionKeys.Length; i++) text.Append($"{DistortionKeys[i]} = {F(i < c.Distortion.Length ? c.Distortion[i] : 0)}\n");
            text.Append('\n');
        }
        text.Append($"[STEREO]\nBaseline = {F(BaselineMm)}\nTY = {F(TyMm)}\nTZ = {F(TzMm)}\n");
        foreach (var (suffix, _) in Resolutions) text.Append($"{yKey}_{suffix} = {F(RodriguesHd[1])}\n");
        foreach (var (suffix, _) in Resolutions) text.Append($"RX_{suffix} = {F(RodriguesHd[0])}\n");
        foreach (var (suffix, _) in Resolutions) text.Append($"RZ_{suffix} = {F(RodriguesHd[2])}\n");
        text.Append("\n[MISC]\nSensor_ID = 1\n");
        return text.ToString();
    }
}

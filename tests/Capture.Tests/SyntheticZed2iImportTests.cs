using System.Numerics;
using DistDepth.Dataset;
using OpenCvSharp;
using Xunit.Abstractions;

namespace DistDepth.Capture.Tests;

/// <summary>
/// Acceptance 2: a synthetic ZED-2i video with its .conf, imported and rectified. Matching points are
/// found in the images themselves: corners tracked left -> right by pyramidal Lucas-Kanade, kept when
/// tracking back lands within 0.1 px and the ground truth shows no depth edge under the corner. Their
/// disparities, with the reported fx and baseline, give depth to compare with the renderer's. Rows are
/// compared on the matches whose column is right (within 1 px of where the true depth puts it), so a
/// wrong correspondence on repeated texture is not counted as a rectification error.
/// </summary>
public class SyntheticZed2iImportTests(ITestOutputHelper output)
{
    [Fact]
    public void RectifiedRowsAgreeAndDisparityReproducesTheRenderersDepth()
    {
        var dir = TempFolder.New("zed2i");
        var zed = new SyntheticZed2i(seed: 11);
        var (video, conf, frames) = zed.Write(dir, frames: 3);

        using (var readBack = new VideoCapture(video))
        using (var first = new Mat())
        {
            Assert.True(readBack.Read(first));
            using var sbs = new Mat();
            Cv2.HConcat([frames[0].RawLeft, frames[0].RawRight], sbs);
            Assert.Equal(0, Cv2.Norm(first, sbs, NormTypes.INF)); // FFV1 round trip is lossless
        }

        using var source = new SideBySideVideoSource(video, ZedCalibration.Load(conf));
        var camera = source.Camera;
        var r1 = source.Rectifier.R1;
        Assert.Equal(0.12, camera.BaselineM, 3);
        var rowErrors = new List<double>();
        var depthErrors = new List<double>();
        foreach (var frame in frames)
        {
            var pair = source.Read()!;
            foreach (var (l, r) in Matches(pair))
            {
                // Ground truth: the rectified left ray, back in raw left axes, hits the scene; its z in rectified axes.
                var rect = new Vector3((l.X - camera.Intrinsics.Cx) / camera.Intrinsics.Fx, (l.Y - camera.Intrinsics.Cy) / camera.Intrinsics.Fy, 1);
                if (!Unoccluded(frame, r1, rect) || SyntheticZed2i.PointSeen(frame, Transposed(r1, rect)) is not { } point) continue;
                double trueDepth = Rotate(r1, point).Z;
                double depth = camera.Intrinsics.Fx * camera.BaselineM / (l.X - r.X);
                depthErrors.Add(Math.Abs(depth - trueDepth) / trueDepth);
                double trueColumn = l.X - camera.Intrinsics.Fx * camera.BaselineM / trueDepth;
                if (Math.Abs(r.X - trueColumn) < 1) rowErrors.Add(Math.Abs(r.Y - l.Y));
            }
        }
        Assert.Null(source.Read());
        rowErrors.Sort();
        depthErrors.Sort();
        output.WriteLine($"rectified fx {camera.Intrinsics.Fx:F2} fy {camera.Intrinsics.Fy:F2} cx {camera.Intrinsics.Cx:F2} cy {camera.Intrinsics.Cy:F2}, baseline {camera.BaselineM * 1000:F3} mm");
        output.WriteLine($"{rowErrors.Count} of {depthErrors.Count} matches in the right column: row difference median {rowErrors[rowErrors.Count / 2]:F3} px, " +
            $"95% {rowErrors[(int)(rowErrors.Count * 0.95)]:F3} px, 99% {rowErrors[(int)(rowErrors.Count * 0.99)]:F3} px, max {rowErrors[^1]:F3} px");
        output.WriteLine($"largest row differences: {string.Join(", ", rowErrors.TakeLast(8).Select(e => e.ToString("F2")))}");
        output.WriteLine($"depth from disparity vs renderer ({depthErrors.Count} matches): median relative error {depthErrors[depthErrors.Count / 2] * 100:F2}%, 90% {depthErrors[(int)(depthErrors.Count * 0.9)] * 100:F2}%");
        Assert.True(rowErrors.Count >= 300 && rowErrors.Count >= 0.8 * depthErrors.Count, $"only {rowErrors.Count} of {depthErrors.Count} matches");
        // Lucas-Kanade itself misplaces the odd corner by a fraction of a pixel; 99% of matches must agree within 0.5 px.
        Assert.True(rowErrors[rowErrors.Count / 2] < 0.1 && rowErrors[(int)(rowErrors.Count * 0.99)] < 0.5,
            $"rows differ: median {rowErrors[rowErrors.Count / 2]:F3} px, 99% {rowErrors[(int)(rowErrors.Count * 0.99)]:F3} px");
        Assert.True(depthErrors[depthErrors.Count / 2] < 0.02, $"median depth error {depthErrors[depthErrors.Count / 2]:P2}");
    }

    // Windows whose gradients are weak in one direction (edges) let Lucas-Kanade slide along them: drop them.
    const double MinEigen = 1e-3;

    static IEnumerable<(Point2f Left, Point2f Right)> Matches(StereoPair pair)
    {
        using var left = Grey(pair.Left);
        using var right = Grey(pair.Right);
        var corners = Cv2.GoodFeaturesToTrack(left, 3000, 0.01, 6, null!, 7, false, 0.04);
        var criteria = new TermCriteria(CriteriaTypes.Count | CriteriaTypes.Eps, 50, 0.001);
        Point2f[] found = [], back = [];
        Cv2.CalcOpticalFlowPyrLK(left, right, corners, ref found, out var status, out _, new Size(21, 21), 4, criteria, OpticalFlowFlags.None, MinEigen);
        Cv2.CalcOpticalFlowPyrLK(right, left, found, ref back, out var backStatus, out _, new Size(21, 21), 4, criteria, OpticalFlowFlags.None, MinEigen);
        for (int i = 0; i < corners.Length; i++)
            if (status[i] == 1 && backStatus[i] == 1 && Distance(back[i], corners[i]) < 0.1 && found[i].X < corners[i].X)
                yield return (corners[i], found[i]);
    }

    static double Distance(Point2f a, Point2f b) => Math.Sqrt((a.X - b.X) * (a.X - b.X) + (a.Y - b.Y) * (a.Y - b.Y));

    static Mat Grey(RgbImage image)
    {
        using var rgb = Mat.FromPixelData(image.Height, image.Width, MatType.CV_8UC3, image.Pixels);
        var grey = new Mat();
        Cv2.CvtColor(rgb, grey, ColorConversionCodes.RGB2GRAY);
        return grey;
    }

    // A corner on a depth edge has no single match (each view sees a different background): skip those.
    static bool Unoccluded(SyntheticZed2i.Frame frame, double[,] r1, Vector3 rect)
    {
        float? near = null, far = null;
        for (int dy = -6; dy <= 6; dy += 3)
        for (int dx = -6; dx <= 6; dx += 3)
        {
            var ray = Transposed(r1, rect + new Vector3(dx, dy, 0) / 520f);
            if (SyntheticZed2i.PointSeen(frame, ray) is not { } p) return false;
            near = Math.Min(near ?? p.Z, p.Z);
            far = Math.Max(far ?? p.Z, p.Z);
        }
        return far / near < 1.03f;
    }

    static Vector3 Rotate(double[,] r, Vector3 v) => new(
        (float)(r[0, 0] * v.X + r[0, 1] * v.Y + r[0, 2] * v.Z),
        (float)(r[1, 0] * v.X + r[1, 1] * v.Y + r[1, 2] * v.Z),
        (float)(r[2, 0] * v.X + r[2, 1] * v.Y + r[2, 2] * v.Z));

    static Vector3 Transposed(double[,] r, Vector3 v) => new(
        (float)(r[0, 0] * v.X + r[1, 0] * v.Y + r[2, 0] * v.Z),
        (float)(r[0, 1] * v.X + r[1, 1] * v.Y + r[2, 1] * v.Z),
        (float)(r[0, 2] * v.X + r[1, 2] * v.Y + r[2, 2] * v.Z));
}

/// <summary>
/// Acceptance 2 with exact correspondences: 3D points seen by both raw eyes of the synthetic ZED-2i
/// (its true stereo rotation and translation) land on the same rectified row, through the calibration
/// as parsed from the .conf. Unlike the image matches above, nothing here is estimated, so every point counts.
/// </summary>
public class RectificationGeometryTests(ITestOutputHelper output)
{
    [Fact]
    public void EveryPointSeenByBothEyesLandsOnTheSameRectifiedRow()
    {
        var dir = TempFolder.New("zed2i-geometry");
        new SyntheticZed2i(seed: 3).Write(dir, frames: 1);
        var parsed = Directory.GetFiles(dir, "SN*.conf").Single();
        using var rectifier = new StereoRectifier(ZedCalibration.Load(parsed).For(ZedResolution.HD720));
        var truth = SyntheticZed2i.Calibration;
        Cv2.Rodrigues(truth.Rotation, out double[,] r, out _);
        double worst = 0, worstDepthError = 0;
        int points = 0;
        var rng = new Random(5);
        while (points < 2000)
        {
            // A point in the raw left camera's axes (x right, y down, z forward), 0.5-8 m away.
            var x = new[] { rng.NextDouble() * 6 - 3, rng.NextDouble() * 3.4 - 1.7, 0.5 + rng.NextDouble() * 7.5 };
            var right = Add(Multiply(r, x), truth.TranslationM);
            var (ul, vl) = Project(rectifier.P1, Multiply(rectifier.R1, x));
            // The point as the right eye itself sees it; P2's last column (the baseline) is already in `right`.
            var (ur, vr) = Project(rectifier.P2, Multiply(rectifier.R2, right), withTranslation: false);
            if (!Inside(ul, vl) || !Inside(ur, vr)) continue;
            points++;
            worst = Math.Max(worst, Math.Abs(vl - vr));
            double z = Multiply(rectifier.R1, x)[2];
            double depth = rectifier.Camera.Intrinsics.Fx * rectifier.Camera.BaselineM / (ul - ur);
            worstDepthError = Math.Max(worstDepthError, Math.Abs(depth - z) / z);
        }
        output.WriteLine($"{points} points: largest row difference {worst:E2} px, largest depth-from-disparity error {worstDepthError:P4}");
        Assert.True(worst < 0.5, $"rows differ by up to {worst:F3} px");
        Assert.True(worstDepthError < 0.02, $"depth from disparity off by up to {worstDepthError:P2}");
    }

    static bool Inside(double u, double v) => u >= 0 && v >= 0 && u < 1280 && v < 720;

    static double[] Multiply(double[,] m, double[] v) =>
        [m[0, 0] * v[0] + m[0, 1] * v[1] + m[0, 2] * v[2], m[1, 0] * v[0] + m[1, 1] * v[1] + m[1, 2] * v[2], m[2, 0] * v[0] + m[2, 1] * v[1] + m[2, 2] * v[2]];

    static double[] Add(double[] a, double[] b) => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];

    static (double U, double V) Project(double[,] p, double[] x, bool withTranslation = true)
    {
        double t = withTranslation ? 1 : 0;
        double w = p[2, 0] * x[0] + p[2, 1] * x[1] + p[2, 2] * x[2] + t * p[2, 3];
        return ((p[0, 0] * x[0] + p[0, 1] * x[1] + p[0, 2] * x[2] + t * p[0, 3]) / w, (p[1, 0] * x[0] + p[1, 1] * x[1] + p[1, 2] * x[2] + t * p[1, 3]) / w);
    }
}

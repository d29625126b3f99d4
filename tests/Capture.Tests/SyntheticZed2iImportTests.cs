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
/// Exact correspondences: 3D points projected by the synthetic ZED-2i's true rig (its rotation, its right
/// camera offset in y and z, its lens distortion) into both raw images, then undistorted and rectified
/// through the calibration as imported from the .conf. Nothing is estimated, so every point must land on
/// the same rectified row in both eyes.
/// </summary>
public class RectificationGeometryTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(nameof(SyntheticZed2i.ConfStyle.Factory))]
    [InlineData(nameof(SyntheticZed2i.ConfStyle.CalibrationTool))]
    [InlineData(nameof(SyntheticZed2i.ConfStyle.CalibrationToolRy))]
    public void EveryPointSeenByBothEyesLandsOnTheSameRectifiedRow(string style)
    {
        var conf = SyntheticZed2i.WriteConf(TempFolder.New("zed2i-geometry"), Enum.Parse<SyntheticZed2i.ConfStyle>(style));
        var (points, worstRow, worstDepth) = Measure(ZedCalibration.Load(conf).For(ZedResolution.HD720));
        output.WriteLine($"{style}: {points} points, largest row difference {worstRow:E2} px, largest depth-from-disparity error {worstDepth:P4}");
        Assert.True(points >= 2000, $"only {points} points in both views");
        Assert.True(worstRow < 0.05, $"rows differ by up to {worstRow:F3} px");
        Assert.True(worstDepth < 0.02, $"depth from disparity off by up to {worstDepth:P2}");
    }

    [Fact]
    public void TheOldTranslationSignsOrNoDistortionMissTheRows()
    {
        // What reading TY/TZ with the other sign, or ignoring [*_DISTO], made of the same file: the test above would fail.
        var truth = SyntheticZed2i.Calibration;
        var t = truth.TranslationM;
        var (_, oldSigns, _) = Measure(truth with { TranslationM = [t[0], -t[1], -t[2]] });
        var (_, noDistortion, _) = Measure(truth with { Left = truth.Left with { Distortion = new double[5] }, Right = truth.Right with { Distortion = new double[5] } });
        output.WriteLine($"largest row difference with TY, TZ negated {oldSigns:F3} px, with zero distortion {noDistortion:F3} px");
        Assert.True(oldSigns > 0.5, $"negated TY/TZ give rows within {oldSigns:F3} px");
        Assert.True(noDistortion > 0.5, $"zero distortion gives rows within {noDistortion:F3} px");
    }

    /// <summary>Points in view of both raw eyes of the true rig, rectified through <paramref name="imported"/>.</summary>
    static (int Points, double WorstRow, double WorstDepth) Measure(StereoCalibration imported)
    {
        using var rectifier = new StereoRectifier(imported);
        var truth = SyntheticZed2i.Calibration;
        var rng = new Random(5);
        // Within the raw field of view (|x/z| < 1.25, |y/z| < 0.7), 0.5-8 m away, in the raw left camera's axes.
        var world = Enumerable.Range(0, 3000).Select(_ =>
        {
            double z = 0.5 + rng.NextDouble() * 7.5;
            return new Point3d((rng.NextDouble() * 2.5 - 1.25) * z, (rng.NextDouble() * 1.4 - 0.7) * z, z);
        }).ToArray();
        var leftRaw = Project(world, [0, 0, 0], [0, 0, 0], truth.Left);
        var rightRaw = Project(world, truth.Rotation, truth.TranslationM, truth.Right);
        var inBoth = Enumerable.Range(0, world.Length).Where(i => Inside(leftRaw[i]) && Inside(rightRaw[i])).ToArray();
        var left = Rectify(inBoth.Select(i => leftRaw[i]).ToArray(), imported.Left, rectifier.R1, rectifier.P1);
        var right = Rectify(inBoth.Select(i => rightRaw[i]).ToArray(), imported.Right, rectifier.R2, rectifier.P2);
        double worstRow = 0, worstDepth = 0;
        var camera = rectifier.Camera;
        for (int k = 0; k < inBoth.Length; k++)
        {
            worstRow = Math.Max(worstRow, Math.Abs(left[k].Y - right[k].Y));
            var x = world[inBoth[k]];
            double z = rectifier.R1[2, 0] * x.X + rectifier.R1[2, 1] * x.Y + rectifier.R1[2, 2] * x.Z;
            worstDepth = Math.Max(worstDepth, Math.Abs(camera.Intrinsics.Fx * camera.BaselineM / (left[k].X - right[k].X) - z) / z);
        }
        return (inBoth.Length, worstRow, worstDepth);
    }

    static bool Inside(Point2d p) => p.X >= 0 && p.Y >= 0 && p.X < 1280 && p.Y < 720;

    static Point2d[] Project(Point3d[] points, double[] rotation, double[] translation, PinholeCamera camera)
    {
        using var objects = Mat.FromPixelData(points.Length, 1, MatType.CV_64FC3, points);
        using var r = Column(rotation);
        using var t = Column(translation);
        using var k = Matrix(camera);
        using var d = Column(camera.Distortion);
        using var image = new Mat();
        Cv2.ProjectPoints(objects, r, t, k, d, image);
        return Read(image);
    }

    // Iterated to convergence, so the residual is the calibration's, not the solver's.
    static Point2d[] Rectify(Point2d[] raw, PinholeCamera camera, double[,] rotation, double[,] projection)
    {
        using var src = Mat.FromPixelData(raw.Length, 1, MatType.CV_64FC2, raw);
        using var k = Matrix(camera);
        using var d = Column(camera.Distortion);
        using var r = Mat.FromPixelData(3, 3, MatType.CV_64FC1, rotation);
        using var p = Mat.FromPixelData(3, 4, MatType.CV_64FC1, projection);
        using var dst = new Mat();
        Cv2.UndistortPointsIter(src, dst, k, d, r, p, new TermCriteria(CriteriaTypes.Count | CriteriaTypes.Eps, 200, 1e-12));
        return Read(dst);
    }

    static Point2d[] Read(Mat m)
    {
        var points = new Point2d[m.Rows * m.Cols];
        for (int i = 0; i < points.Length; i++)
        {
            var v = m.At<Vec2d>(i);
            points[i] = new Point2d(v.Item0, v.Item1);
        }
        return points;
    }

    static Mat Column(double[] values) => Mat.FromPixelData(values.Length, 1, MatType.CV_64FC1, values).Clone();

    static Mat Matrix(PinholeCamera c) => Mat.FromPixelData(3, 3, MatType.CV_64FC1, new[] { c.Fx, 0, c.Cx, 0, c.Fy, c.Cy, 0, 0, 1 }).Clone();
}

using DistDepth.Dataset;
using OpenCvSharp;

namespace DistDepth.Capture;

/// <summary>
/// Undistorts and rectifies raw ZED pairs the way zed-open-capture does (stereoRectify with zero
/// disparity at infinity, alpha 0 so every output pixel is valid, then remap), and reports the
/// rectified pinhole camera: P1's intrinsics and the baseline from P2. Fisheye lenses go through
/// OpenCV's fisheye module the same way (balance 0, the counterpart of alpha 0).
/// </summary>
public sealed class StereoRectifier : IDisposable
{
    readonly Mat leftX = new(), leftY = new(), rightX = new(), rightY = new();
    // cv::fisheye::CALIB_ZERO_DISPARITY, which OpenCvSharp's FishEyeCalibrationFlags does not name.
    const FishEyeCalibrationFlags ZeroDisparityFisheye = (FishEyeCalibrationFlags)(1 << 10);

    public StereoRectifier(StereoCalibration calibration)
    {
        Calibration = calibration;
        var size = new Size(calibration.Width, calibration.Height);
        using var rotation = new Mat();
        using (var vector = Column(calibration.Rotation)) Cv2.Rodrigues(vector, rotation);
        using var k1 = Column(Matrix(calibration.Left), 3);
        using var d1 = Column(calibration.Left.Distortion);
        using var k2 = Column(Matrix(calibration.Right), 3);
        using var d2 = Column(calibration.Right.Distortion);
        using var t = Column(calibration.TranslationM);
        using Mat r1 = new(), r2 = new(), p1 = new(), p2 = new(), q = new();
        if (calibration.Left.Lens != calibration.Right.Lens)
            throw new InvalidDataException($"the left lens is {calibration.Left.Lens} and the right {calibration.Right.Lens}: a stereo pair needs one model");
        if (calibration.Left.Lens == LensModel.Fisheye)
        {
            Cv2.FishEye.StereoRectify(k1, d1, k2, d2, size, rotation, t, r1, r2, p1, p2, q, ZeroDisparityFisheye, size, 0, 1);
            Cv2.FishEye.InitUndistortRectifyMap(k1, d1, r1, p1, size, (int)MatType.CV_32FC1, leftX, leftY);
            Cv2.FishEye.InitUndistortRectifyMap(k2, d2, r2, p2, size, (int)MatType.CV_32FC1, rightX, rightY);
        }
        else
        {
            Cv2.StereoRectify(k1, d1, k2, d2, size, rotation, t, r1, r2, p1, p2, q, StereoRectificationFlags.ZeroDisparity, 0, size, out _, out _);
            Cv2.InitUndistortRectifyMap(k1, d1, r1, p1, size, MatType.CV_32FC1, leftX, leftY);
            Cv2.InitUndistortRectifyMap(k2, d2, r2, p2, size, MatType.CV_32FC1, rightX, rightY);
        }
        R1 = ToArray(r1);
        P1 = ToArray(p1);
        R2 = ToArray(r2);
        P2 = ToArray(p2);
        // Distortion that does not invert out to the image corners makes OpenCV's valid-region search, and
        // so the zoom and principal point, nonsense: refuse that rather than record warped data.
        double fx = P1[0, 0], cx = P1[0, 2], cy = P1[1, 2];
        if (fx < 0.5 * calibration.Left.Fx || fx > 1.5 * calibration.Left.Fx || cx < 0.25 * size.Width || cx > 0.75 * size.Width || cy < 0.25 * size.Height || cy > 0.75 * size.Height)
            throw new InvalidDataException($"rectification of {size.Width}x{size.Height} is degenerate (fx {fx:F1}, cx {cx:F1}, cy {cy:F1} from raw fx {calibration.Left.Fx:F1}): " +
                "the distortion coefficients do not invert over the whole image; check that section of the calibration file");
        // OpenCV's P2 holds -fx·B in its last column when the right camera sits at +x of the left one.
        Camera = new StereoCamera(calibration.Width, calibration.Height,
            new CameraIntrinsics((float)P1[0, 0], (float)P1[1, 1], (float)P1[0, 2], (float)P1[1, 2]),
            (float)Math.Abs(P2[0, 3] / P2[0, 0]));
    }

    public StereoCalibration Calibration { get; }
    public StereoCamera Camera { get; }

    /// <summary>Rotation from the raw left camera to the rectified one (a point X becomes R1·X).</summary>
    public double[,] R1 { get; }

    /// <summary>Projection of the rectified left camera.</summary>
    public double[,] P1 { get; }

    /// <summary>Rotation from the raw right camera to the rectified one.</summary>
    public double[,] R2 { get; }

    /// <summary>Projection of the rectified right camera (its last column holds -fx·baseline).</summary>
    public double[,] P2 { get; }

    /// <summary>Rectifies a raw pair (BGR, calibration size); the caller owns the results.</summary>
    public (Mat Left, Mat Right) Rectify(Mat rawLeft, Mat rawRight)
    {
        if (rawLeft.Width != Calibration.Width || rawLeft.Height != Calibration.Height)
            throw new InvalidDataException($"raw frames are {rawLeft.Width}x{rawLeft.Height} per eye, the calibration is for {Calibration.Width}x{Calibration.Height}");
        var left = new Mat();
        var right = new Mat();
        Cv2.Remap(rawLeft, left, leftX, leftY, InterpolationFlags.Linear, BorderTypes.Constant);
        Cv2.Remap(rawRight, right, rightX, rightY, InterpolationFlags.Linear, BorderTypes.Constant);
        return (left, right);
    }

    static double[] Matrix(PinholeCamera c) => [c.Fx, 0, c.Cx, 0, c.Fy, c.Cy, 0, 0, 1];

    /// <summary>A CV_64F Mat of <paramref name="values"/>, <paramref name="columns"/> wide (a column vector by default).</summary>
    static Mat Column(double[] values, int columns = 1) =>
        Mat.FromPixelData(values.Length / columns, columns, MatType.CV_64FC1, values).Clone();

    static double[,] ToArray(Mat m)
    {
        int rows = m.Rows, cols = m.Cols;
        var a = new double[rows, cols];
        for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++)
            a[i, j] = m.At<double>(i, j);
        return a;
    }

    public void Dispose()
    {
        leftX.Dispose();
        leftY.Dispose();
        rightX.Dispose();
        rightY.Dispose();
    }
}

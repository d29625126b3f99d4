using DistDepth.Dataset;
using OpenCvSharp;

namespace DistDepth.Capture;

/// <summary>
/// Undistorts and rectifies raw ZED pairs the way zed-open-capture does (stereoRectify with zero
/// disparity at infinity, alpha 0 so every output pixel is valid, then remap), and reports the
/// rectified pinhole camera: P1's intrinsics and the baseline from P2.
/// </summary>
public sealed class StereoRectifier : IDisposable
{
    readonly Mat leftX = new(), leftY = new(), rightX = new(), rightY = new();

    public StereoRectifier(StereoCalibration calibration)
    {
        Calibration = calibration;
        var size = new Size(calibration.Width, calibration.Height);
        Cv2.Rodrigues(calibration.Rotation, out double[,] rotation, out _);
        Cv2.StereoRectify(Matrix(calibration.Left), calibration.Left.Distortion, Matrix(calibration.Right), calibration.Right.Distortion,
            size, rotation, calibration.TranslationM, out var r1, out var r2, out var p1, out var p2, out _,
            StereoRectificationFlags.ZeroDisparity, 0, size);
        R1 = r1;
        P1 = p1;
        Map(calibration.Left, r1, p1, size, leftX, leftY);
        Map(calibration.Right, r2, p2, size, rightX, rightY);
        // OpenCV's P2 holds -fx·B in its last column when the right camera sits at +x of the left one.
        Camera = new StereoCamera(calibration.Width, calibration.Height,
            new CameraIntrinsics((float)p1[0, 0], (float)p1[1, 1], (float)p1[0, 2], (float)p1[1, 2]),
            (float)Math.Abs(p2[0, 3] / p2[0, 0]));
    }

    public StereoCalibration Calibration { get; }
    public StereoCamera Camera { get; }

    /// <summary>Rotation from the raw left camera to the rectified one (a point X becomes R1·X).</summary>
    public double[,] R1 { get; }

    /// <summary>Projection of the rectified left camera.</summary>
    public double[,] P1 { get; }

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

    static double[,] Matrix(PinholeCamera c) => new double[,] { { c.Fx, 0, c.Cx }, { 0, c.Fy, c.Cy }, { 0, 0, 1 } };

    static void Map(PinholeCamera camera, double[,] rectification, double[,] projection, Size size, Mat mapX, Mat mapY)
    {
        using var k = InputArray.Create(Matrix(camera));
        using var d = InputArray.Create(camera.Distortion);
        using var r = InputArray.Create(rectification);
        using var p = InputArray.Create(projection);
        Cv2.InitUndistortRectifyMap(k, d, r, p, size, MatType.CV_32FC1, mapX, mapY);
    }

    public void Dispose()
    {
        leftX.Dispose();
        leftY.Dispose();
        rightX.Dispose();
        rightY.Dispose();
    }
}

using System.Text.Json.Nodes;
using DistDepth.Dataset;
using OpenCvSharp;

namespace DistDepth.TrainingCore.Expert;

/// <summary>
/// Relative inverse depth from the frame's own rectified pair by OpenCV's semi-global matching, the
/// proxy labels Depth Hints (Watson et al., ICCV 2019) distil. Disparity is inverse depth times
/// f * baseline, so it needs no download and no shift removal: E = NormalisedMedian * disparity / median(valid disparity).
/// Invalid pixels are 0, which both distillation losses mask out: SGBM's own left-right check
/// (disp12MaxDiff 1 px: the right-to-left match must land back within a pixel), its uniqueness test
/// (occlusions and repeated texture), speckle filtering, untextured regions, and the left band of
/// numDisparities columns that has no partner in the right image.
/// </summary>
public sealed class StereoSgbmExpert : DepthExpert
{
    const int BlockSize = 5, UniquenessRatio = 10, SpeckleWindow = 100, SpeckleRange = 2, LeftRightMaxDiff = 1;

    public override JsonObject Label => new()
    {
        ["kind"] = "stereo-sgbm",
        ["block_size"] = BlockSize,
        ["num_disparities"] = "width/4 rounded up to 16",
        ["left_right_max_diff_px"] = LeftRightMaxDiff,
        ["uniqueness_ratio"] = UniquenessRatio,
        ["speckle_window"] = SpeckleWindow,
        ["invalid"] = 0,
        ["median"] = NormalisedMedian,
    };

    /// <summary>Disparity search range for a width: a quarter of it (depth down to 4 f B / W; 0.26 m for SimSIN's 512 px), a multiple of 16.</summary>
    public static int NumDisparities(int width) => Math.Max(16, (width / 4 + 15) / 16 * 16);

    public override float[] Predict(StereoFrame frame)
    {
        if (frame.Right is null)
            throw new InvalidDataException($"sequence '{frame.SequenceId}' frame {frame.FrameIndex} has no right image; --expert stereo needs the rectified pair");
        float[] disparity;
        try
        {
            disparity = Disparity(frame.Left, frame.Right);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"sequence '{frame.SequenceId}' frame {frame.FrameIndex}: {e.Message}", e);
        }
        ScaleToNormalisedMedian(disparity);
        return disparity;
    }

    /// <summary>Left-view disparity in pixels of a rectified pair of PNGs, 0 where SGBM found no trustworthy match.</summary>
    public static float[] Disparity(byte[] leftPng, byte[] rightPng)
    {
        using var left = Grey(leftPng);
        using var right = Grey(rightPng);
        if (left.Size() != right.Size())
            throw new InvalidDataException($"left {left.Width}x{left.Height} and right {right.Width}x{right.Height} differ");
        return Disparity(left, right);
    }

    static float[] Disparity(Mat leftGrey, Mat rightGrey)
    {
        int channels = 1, p1 = 8 * channels * BlockSize * BlockSize, p2 = 32 * channels * BlockSize * BlockSize;
        using var sgbm = StereoSGBM.Create(0, NumDisparities(leftGrey.Width), BlockSize, p1, p2, LeftRightMaxDiff,
            preFilterCap: 63, UniquenessRatio, SpeckleWindow, SpeckleRange, StereoSGBMMode.SGBM);
        using var fixedPoint = new Mat();
        sgbm.Compute(leftGrey, rightGrey, fixedPoint);
        // CV_16S with 4 fractional bits; invalid matches are (minDisparity - 1) * 16 = -16.
        fixedPoint.GetArray(out short[] raw);
        var disparity = new float[raw.Length];
        for (int i = 0; i < raw.Length; i++) disparity[i] = raw[i] > 0 ? raw[i] / 16f : 0;
        return disparity;
    }

    static Mat Grey(byte[] png)
    {
        var rgb = ImageCodec.DecodeRgb(png);
        using var colour = Mat.FromPixelData(rgb.Height, rgb.Width, MatType.CV_8UC3, rgb.Pixels);
        var grey = new Mat();
        Cv2.CvtColor(colour, grey, ColorConversionCodes.RGB2GRAY);
        return grey;
    }
}

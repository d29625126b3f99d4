using System.Runtime.InteropServices;
using DistDepth.Dataset;
using OpenCvSharp;

namespace DistDepth.Capture;

/// <summary>Conversions between OpenCV Mats and the dataset's RgbImage / DepthMap.</summary>
internal static class MatImages
{
    public static RgbImage ToRgb(Mat bgr)
    {
        using var rgb = new Mat();
        Cv2.CvtColor(bgr, rgb, bgr.Channels() == 4 ? ColorConversionCodes.BGRA2RGB : ColorConversionCodes.BGR2RGB);
        return ImageCodec.ToRgbImage(rgb);
    }

    public static DepthMap ToDepth(Mat metres)
    {
        using var continuous = metres.Clone(); // a clone is continuous; ROIs and padded SDK rows are not
        var values = new float[metres.Rows * metres.Cols];
        Marshal.Copy(continuous.Data, values, 0, values.Length);
        return new DepthMap(metres.Cols, metres.Rows, values);
    }
}

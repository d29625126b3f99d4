using OpenCvSharp;

namespace DistDepth.Dataset;

/// <summary>
/// Depth as a picture for people, the one map every tool uses (export, contact sheets, previews,
/// `sim render`): inverse depth through magma, near = bright, far = near-black; void (no surface,
/// depth 0) is flat grey, a colour magma never takes, so looking into nothing is not mistaken for far.
/// </summary>
public static class DepthColormap
{
    public static readonly Scalar VoidRgb = new(128, 128, 128);

    public static RgbImage Colourise(DepthMap depth)
    {
        var inverse = depth.Metres.Where(m => m > 0).Select(m => 1f / m).Order().ToArray();
        // Percentiles rather than min/max, so one stray near pixel does not wash out the picture.
        float lo = inverse.Length > 0 ? inverse[(int)(0.02 * (inverse.Length - 1))] : 0;
        float hi = inverse.Length > 0 ? inverse[(int)(0.98 * (inverse.Length - 1))] : 1;
        var grey = new byte[depth.Metres.Length];
        for (int i = 0; i < grey.Length; i++)
        {
            float m = depth.Metres[i];
            grey[i] = m > 0 ? (byte)Math.Clamp(255f * (1f / m - lo) / Math.Max(hi - lo, 1e-6f), 1f, 255f) : (byte)0;
        }
        using var g = Mat.FromPixelData(depth.Height, depth.Width, MatType.CV_8UC1, grey);
        using var bgr = new Mat();
        Cv2.ApplyColorMap(g, bgr, ColormapTypes.Magma);
        using var rgb = new Mat();
        Cv2.CvtColor(bgr, rgb, ColorConversionCodes.BGR2RGB);
        rgb.SetTo(VoidRgb, g.Equals(0));
        return ImageCodec.ToRgbImage(rgb);
    }
}

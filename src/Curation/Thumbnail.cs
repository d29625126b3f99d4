using DistDepth.Dataset;
using OpenCvSharp;

namespace DistDepth.Curation;

/// <summary>Small PNGs of a frame for the review page: the left image and its colourised depth.</summary>
public static class Thumbnail
{
    public static byte[] Left(StereoFrame frame, int width) => Shrink(ImageCodec.DecodeRgb(frame.Left), width, InterpolationFlags.Area);

    public static byte[]? Depth(StereoFrame frame, int width) =>
        frame.Depth is null ? null : Shrink(DepthColormap.Colourise(ImageCodec.DecodeDepth(frame.Depth)), width, InterpolationFlags.Nearest);

    static byte[] Shrink(RgbImage image, int width, InterpolationFlags interpolation)
    {
        int height = Math.Max(1, (int)Math.Round((double)image.Height * width / image.Width));
        using var source = Mat.FromPixelData(image.Height, image.Width, MatType.CV_8UC3, image.Pixels);
        using var small = new Mat();
        Cv2.Resize(source, small, new Size(width, height), interpolation: interpolation);
        return ImageCodec.EncodeRgb(ImageCodec.ToRgbImage(small));
    }
}

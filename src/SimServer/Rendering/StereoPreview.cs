using OpenCvSharp;

namespace DistDepth.SimServer.Rendering;

/// <summary>A PNG for people: left | right | left depth colourised (turbo, near = red, void = black).</summary>
public static class StereoPreview
{
    public static void Write(string path, StereoImages images, int width, int height)
    {
        if (images.RgbLeft == null || images.RgbRight == null || images.DepthLeft == null)
            throw new ArgumentException("the preview needs RGB left, RGB right and depth left");
        using var left = Rgb(images.RgbLeft, width, height);
        using var right = Rgb(images.RgbRight, width, height);
        using var depth = ColorizeDepth(images.DepthLeft, width, height);
        using var panel = new Mat();
        Cv2.HConcat([left, right, depth], panel);
        if (!Cv2.ImWrite(path, panel)) throw new IOException($"could not write {path}");
    }

    private static Mat Rgb(byte[] rgb, int width, int height)
    {
        using var wrapped = Mat.FromPixelData(height, width, MatType.CV_8UC3, rgb);
        var bgr = new Mat();
        Cv2.CvtColor(wrapped, bgr, ColorConversionCodes.RGB2BGR);
        return bgr;
    }

    private static Mat ColorizeDepth(float[] depth, int width, int height)
    {
        var valid = depth.Where(d => d > 0).Order().ToArray();
        var far = valid.Length == 0 ? 1f : valid[(int)(valid.Length * 0.98)];
        var scaled = new byte[depth.Length];
        for (var i = 0; i < depth.Length; i++)
            scaled[i] = depth[i] > 0 ? (byte)(255 - Math.Clamp(depth[i] / far, 0f, 1f) * 254) : (byte)0;
        using var gray = Mat.FromPixelData(height, width, MatType.CV_8UC1, scaled);
        var colored = new Mat();
        Cv2.ApplyColorMap(gray, colored, ColormapTypes.Turbo);
        colored.SetTo(Scalar.Black, gray.Equals(0));
        return colored;
    }
}

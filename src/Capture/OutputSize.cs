using DistDepth.Dataset;
using OpenCvSharp;

namespace DistDepth.Capture;

/// <summary>
/// A training size: the rectified pair is centre-cropped to the target aspect ratio (no stretching),
/// then resized, and the intrinsics follow. The baseline does not change.
/// </summary>
public sealed record OutputSize(int Width, int Height)
{
    public static OutputSize Parse(string text)
    {
        var parts = text.ToLowerInvariant().Split('x');
        if (parts.Length == 2 && int.TryParse(parts[0], out int w) && int.TryParse(parts[1], out int h) && w >= 8 && h >= 8)
            return new OutputSize(w, h);
        throw new ArgumentException($"--size {text}: expected WIDTHxHEIGHT, e.g. 640x360 (at least 8x8)");
    }

    /// <summary>The crop of a <paramref name="width"/>x<paramref name="height"/> image that has this aspect ratio.</summary>
    public Rect CropOf(int width, int height)
    {
        int w = width, h = height;
        if ((long)width * Height > (long)height * Width) w = (int)Math.Round((double)height * Width / Height);
        else h = (int)Math.Round((double)width * Height / Width);
        return new Rect((width - w) / 2, (height - h) / 2, w, h);
    }

    public StereoCamera Apply(StereoCamera camera)
    {
        var crop = CropOf(camera.Width, camera.Height);
        double sx = (double)Width / crop.Width, sy = (double)Height / crop.Height;
        var k = camera.Intrinsics;
        // Pixel centres: OpenCV's resize maps x to (x + 0.5)·s - 0.5.
        return camera with
        {
            Width = Width, Height = Height,
            Intrinsics = new CameraIntrinsics((float)(k.Fx * sx), (float)(k.Fy * sy),
                (float)((k.Cx - crop.X + 0.5) * sx - 0.5), (float)((k.Cy - crop.Y + 0.5) * sy - 0.5)),
        };
    }

    /// <summary>Crops and resizes an image; nearest-neighbour for depth so invalid pixels never blend into valid ones.</summary>
    public Mat Apply(Mat image, bool isDepth = false)
    {
        using var cropped = new Mat(image, CropOf(image.Width, image.Height));
        var result = new Mat();
        Cv2.Resize(cropped, result, new Size(Width, Height), 0, 0, isDepth ? InterpolationFlags.Nearest : InterpolationFlags.Area);
        return result;
    }
}

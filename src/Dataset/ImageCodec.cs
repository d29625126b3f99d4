using OpenCvSharp;

namespace DistDepth.Dataset;

/// <summary>An 8-bit RGB image, row-major, 3 bytes per pixel.</summary>
public sealed record RgbImage(int Width, int Height, byte[] Pixels);

/// <summary>A depth map in metres, row-major; 0 = invalid.</summary>
public sealed record DepthMap(int Width, int Height, float[] Metres);

/// <summary>PNG encoding (<see cref="PngWriter"/>) and decoding (<see cref="PngReader"/> for the dataset's two
/// kinds, OpenCV for any other PNG) of the dataset's image columns.</summary>
public static class ImageCodec
{
    public static byte[] EncodeRgb(RgbImage image)
    {
        CheckSize(image.Width, image.Height, image.Pixels.Length, 3, "RGB");
        return PngWriter.Rgb8(image.Pixels, image.Width, image.Height);
    }

    public static RgbImage DecodeRgb(byte[] png)
    {
        CheckDeclaredSize(png);
        if (PngReader.TryReadRgb8(png) is { } image) return image;
        using var bgr = Decode(png, ImreadModes.Color);
        using var rgb = new Mat();
        Cv2.CvtColor(bgr, rgb, ColorConversionCodes.BGR2RGB);
        return ToRgbImage(rgb);
    }

    /// <summary>Copies a freshly made (hence continuous) 8-bit RGB Mat out of native memory.</summary>
    public static RgbImage ToRgbImage(Mat rgb)
    {
        var pixels = new byte[rgb.Rows * rgb.Cols * 3];
        System.Runtime.InteropServices.Marshal.Copy(rgb.Data, pixels, 0, pixels.Length);
        return new RgbImage(rgb.Cols, rgb.Rows, pixels);
    }

    /// <summary>16-bit PNG in millimetres; NaN, infinite and non-positive depths become 0 (invalid).</summary>
    public static byte[] EncodeDepth(DepthMap depth) => EncodeDepth(depth.Metres, depth.Width, depth.Height);

    /// <inheritdoc cref="EncodeDepth(DepthMap)"/>
    public static byte[] EncodeDepth(ReadOnlySpan<float> metres, int width, int height)
    {
        CheckSize(width, height, metres.Length, 1, "depth");
        var mm = GC.AllocateUninitializedArray<ushort>(metres.Length);
        for (int i = 0; i < mm.Length; i++)
        {
            float m = metres[i];
            mm[i] = float.IsFinite(m) && m > 0 ? (ushort)Math.Clamp(MathF.Round(m * 1000f), 1f, ushort.MaxValue) : (ushort)0;
        }
        return EncodeUInt16(mm, width, height);
    }

    public static byte[] EncodeUInt16(ushort[] values, int width, int height)
    {
        CheckSize(width, height, values.Length, 1, "16-bit");
        return PngWriter.Gray16(values, width, height);
    }

    public static ushort[] DecodeUInt16(byte[] png, out int width, out int height)
    {
        CheckDeclaredSize(png);
        if (PngReader.TryReadGray16(png, out width, out height) is { } values) return values;
        using var mat = Decode(png, ImreadModes.Unchanged);
        if (mat.Type() != MatType.CV_16UC1)
            throw new InvalidDataException($"expected a 16-bit single-channel PNG, got {mat.Type()}");
        width = mat.Cols;
        height = mat.Rows;
        mat.GetArray(out ushort[] data);
        return data;
    }

    public static DepthMap DecodeDepth(byte[] png)
    {
        var mm = DecodeUInt16(png, out int w, out int h);
        var metres = new float[mm.Length];
        for (int i = 0; i < mm.Length; i++) metres[i] = mm[i] * 0.001f;
        return new DepthMap(w, h, metres);
    }

    /// <summary>Width and height from a PNG's IHDR chunk, without decoding; null when the bytes do not start like a PNG.</summary>
    public static (int Width, int Height)? PngSize(ReadOnlySpan<byte> png) =>
        PngReader.TryReadHeader(png, out int width, out int height, out _, out _, out _) && width > 0 && height > 0 ? (width, height) : null;

    /// <summary>Most pixels a PNG may declare before it is decoded (a 1 MB file can declare gigapixels).</summary>
    public const long MaxDecodePixels = 8192L * 8192;

    // Before any decoder allocates what the header asks for.
    static void CheckDeclaredSize(byte[] png)
    {
        if (PngSize(png) is { } size && (long)size.Width * size.Height > MaxDecodePixels)
            throw new InvalidDataException($"PNG declares {size.Width}x{size.Height}, more than the {MaxDecodePixels / 1_000_000} megapixels this tool decodes");
    }

    static Mat Decode(byte[] png, ImreadModes mode)
    {
        var mat = Cv2.ImDecode(png, mode);
        if (mat.Empty())
        {
            mat.Dispose();
            throw new InvalidDataException("PNG does not decode");
        }
        return mat;
    }

    static void CheckSize(int width, int height, int length, int channels, string what)
    {
        if (width <= 0 || height <= 0 || length != width * height * channels)
            throw new ArgumentException($"{what} image of {width}x{height} needs {width * height * channels} values, got {length}");
    }
}

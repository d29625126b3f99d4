using OpenCvSharp;

namespace DistDepth.Capture;

/// <summary>
/// A recording kept as two folders of raw images, paired by file name (left/000001.png with
/// right/000001.png), in name order. Timestamps follow the frame rate the recording was made at.
/// </summary>
public sealed class ImageFolderSource : RectifyingSource
{
    static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase) { ".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff" };

    readonly string leftDir, rightDir;
    readonly string[] names;
    readonly double fps;
    int next;

    public ImageFolderSource(string leftDir, string rightDir, ZedCalibration calibration, double fps, OutputSize? output = null)
        : base(CalibrationFor(leftDir, rightDir, calibration, out var names), output)
    {
        if (fps <= 0) throw new ArgumentException($"--fps {fps}: must be positive");
        this.leftDir = leftDir;
        this.rightDir = rightDir;
        this.names = names;
        this.fps = fps;
    }

    public override bool IsLive => false;
    public override string Description => $"folders {leftDir} | {rightDir}";

    static StereoCalibration CalibrationFor(string leftDir, string rightDir, ZedCalibration calibration, out string[] names)
    {
        names = Images(leftDir);
        var right = Images(rightDir).ToHashSet();
        if (names.Length == 0) throw new InvalidDataException($"{leftDir}: no images ({string.Join(", ", Extensions)})");
        var unpaired = names.FirstOrDefault(n => !right.Contains(n));
        if (unpaired is not null) throw new InvalidDataException($"{Path.Combine(leftDir, unpaired)} has no partner in {rightDir}");
        if (right.Count != names.Length)
            throw new InvalidDataException($"{rightDir} has {right.Count - names.Length} images with no partner in {leftDir}");
        using var first = Load(Path.Combine(leftDir, names[0]));
        return calibration.ForSize(first.Width, first.Height);
    }

    static string[] Images(string dir)
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{dir}: folder not found");
        return Directory.EnumerateFiles(dir).Where(f => Extensions.Contains(Path.GetExtension(f)))
            .Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
    }

    static Mat Load(string path)
    {
        var image = Cv2.ImRead(path, ImreadModes.Color);
        if (image.Empty())
        {
            image.Dispose();
            throw new InvalidDataException($"{path}: not a readable image");
        }
        return image;
    }

    protected override (Mat Left, Mat Right, long TimestampNs)? ReadRaw()
    {
        if (next >= names.Length) return null;
        var name = names[next];
        long timestamp = (long)(next++ * 1e9 / fps);
        return (Load(Path.Combine(leftDir, name)), Load(Path.Combine(rightDir, name)), timestamp);
    }

    public override bool Skip(int frames)
    {
        bool complete = next + frames <= names.Length;
        next = Math.Min(names.Length, next + frames);
        return complete;
    }
}

using System.Diagnostics;
using DistDepth.Dataset;
using OpenCvSharp;

namespace DistDepth.Capture;

/// <summary>
/// Keeps one PNG showing the latest pair and its depth (left | right | colourised depth), for watching a
/// capture from another window. Rewritten at most every <see cref="Interval"/> and replaced atomically,
/// so a viewer never reads a half-written file.
/// </summary>
public sealed class PreviewWriter(string path)
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);
    const int PanelWidth = 480;

    readonly Stopwatch sinceLast = new();

    public string Path { get; } = path;

    public void Offer(StereoPair pair)
    {
        if (sinceLast.IsRunning && sinceLast.Elapsed < Interval) return;
        sinceLast.Restart();
        Write(pair);
    }

    public void Write(StereoPair pair)
    {
        var panels = new List<Mat> { Panel(pair.Left), Panel(pair.Right) };
        if (pair.Depth is not null) panels.Add(Panel(DepthColormap.Colourise(pair.Depth)));
        try
        {
            using var sheet = new Mat();
            Cv2.HConcat(panels.ToArray(), sheet);
            var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
            Directory.CreateDirectory(dir);
            var temp = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(Path)}.tmp.png");
            Cv2.ImWrite(temp, sheet);
            File.Move(temp, Path, overwrite: true);
        }
        finally
        {
            foreach (var p in panels) p.Dispose();
        }
    }

    static Mat Panel(RgbImage image)
    {
        using var rgb = Mat.FromPixelData(image.Height, image.Width, MatType.CV_8UC3, image.Pixels);
        using var bgr = new Mat();
        Cv2.CvtColor(rgb, bgr, ColorConversionCodes.RGB2BGR);
        var panel = new Mat();
        Cv2.Resize(bgr, panel, new Size(PanelWidth, Math.Max(1, image.Height * PanelWidth / image.Width)), 0, 0, InterpolationFlags.Area);
        return panel;
    }
}

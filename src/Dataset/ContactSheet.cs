using OpenCvSharp;

namespace DistDepth.Dataset;

/// <summary>
/// A grid of frames (one row per frame: left | right | colourised depth) as one PNG. A sequence
/// longer than the sheet is shown as evenly spaced frames, first and last included; a strip on top
/// says which ("8 of 10 frames, evenly spaced") and each row is labelled with its frame index.
/// </summary>
public static class ContactSheet
{
    private const int CaptionHeight = 18;

    public static byte[] Render(IReadOnlyList<StereoFrame> frames, int maxRows = 8)
    {
        var shown = Pick(frames.Count, maxRows).Select(i => frames[i]).ToList();
        var rows = new List<Mat>();
        try
        {
            foreach (var frame in shown)
            {
                var row = ToMat(SideBySide(Tiles(frame)));
                Cv2.PutText(row, $"{frame.FrameIndex}", new Point(2, 12), HersheyFonts.HersheyPlain, 0.9, Scalar.White, 1, LineTypes.AntiAlias);
                rows.Add(row);
            }
            int width = rows.Max(r => r.Cols);
            // Frames of one sheet normally share a layout; pad any shorter row so the grid stays rectangular.
            foreach (var r in rows.Where(r => r.Cols < width).ToList())
                Cv2.CopyMakeBorder(r, r, 0, 0, 0, width - r.Cols, BorderTypes.Constant, Scalar.Black);
            var caption = new Mat(CaptionHeight, width, MatType.CV_8UC3, Scalar.Black);
            var text = shown.Count == frames.Count ? $"all {frames.Count} frames" : $"{shown.Count} of {frames.Count} frames, evenly spaced";
            Cv2.PutText(caption, text, new Point(2, 13), HersheyFonts.HersheyPlain, 0.9, Scalar.White, 1, LineTypes.AntiAlias);
            rows.Insert(0, caption);
            using var sheet = new Mat();
            Cv2.VConcat(rows.ToArray(), sheet);
            return ImageCodec.EncodeRgb(ImageCodec.ToRgbImage(sheet));
        }
        finally
        {
            foreach (var r in rows) r.Dispose();
        }
    }

    /// <summary><paramref name="max"/> indices spread evenly over 0..count-1, both ends included; all when they fit.</summary>
    public static IReadOnlyList<int> Pick(int count, int max)
    {
        if (count <= max) return Enumerable.Range(0, count).ToList();
        if (max <= 1) return max == 1 ? [0] : [];
        return Enumerable.Range(0, max).Select(i => (int)((long)i * (count - 1) / (max - 1))).ToList();
    }

    /// <summary>Tiles left to right, padded to the tallest.</summary>
    public static RgbImage SideBySide(IReadOnlyList<RgbImage> tiles)
    {
        var height = tiles.Max(t => t.Height);
        var mats = tiles.Select(t =>
        {
            var m = ToMat(t);
            if (m.Rows < height) Cv2.CopyMakeBorder(m, m, 0, height - m.Rows, 0, 0, BorderTypes.Constant, Scalar.Black);
            return m;
        }).ToArray();
        try
        {
            using var row = new Mat();
            Cv2.HConcat(mats, row);
            return ImageCodec.ToRgbImage(row);
        }
        finally
        {
            foreach (var m in mats) m.Dispose();
        }
    }

    static Mat ToMat(RgbImage t) => Mat.FromPixelData(t.Height, t.Width, MatType.CV_8UC3, t.Pixels).Clone();

    static List<RgbImage> Tiles(StereoFrame frame)
    {
        try
        {
            var tiles = new List<RgbImage> { ImageCodec.DecodeRgb(frame.Left) };
            if (frame.Right is not null) tiles.Add(ImageCodec.DecodeRgb(frame.Right));
            if (frame.Depth is not null) tiles.Add(DepthColormap.Colourise(ImageCodec.DecodeDepth(frame.Depth)));
            return tiles;
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"sequence '{frame.SequenceId}' frame {frame.FrameIndex}: {e.Message}", e);
        }
    }
}

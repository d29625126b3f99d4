using OpenCvSharp;

namespace DistDepth.Dataset;

/// <summary>A grid of frames (one row per frame: left | right | colourised depth) as one PNG.</summary>
public static class ContactSheet
{
    public static byte[] Render(IReadOnlyList<StereoFrame> frames, int maxRows = 8)
    {
        var rows = new List<Mat>();
        try
        {
            foreach (var frame in frames.Take(maxRows))
            {
                var tiles = Tiles(frame);
                var mats = tiles.Select(t => Mat.FromPixelData(t.Height, t.Width, MatType.CV_8UC3, t.Pixels)).ToArray();
                var row = new Mat();
                Cv2.HConcat(mats, row);
                foreach (var m in mats) m.Dispose();
                rows.Add(row);
            }
            int width = rows.Max(r => r.Cols);
            // Frames of one sheet normally share a layout; pad any shorter row so the grid stays rectangular.
            foreach (var r in rows.Where(r => r.Cols < width).ToList())
                Cv2.CopyMakeBorder(r, r, 0, 0, 0, width - r.Cols, BorderTypes.Constant, Scalar.Black);
            using var sheet = new Mat();
            Cv2.VConcat(rows.ToArray(), sheet);
            return ImageCodec.EncodeRgb(ImageCodec.ToRgbImage(sheet));
        }
        finally
        {
            foreach (var r in rows) r.Dispose();
        }
    }

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

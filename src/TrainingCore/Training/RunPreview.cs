using DistDepth.Dataset;
using DistDepth.TrainingCore.Data;
using DistDepth.TrainingCore.Evaluation;
using OpenCvSharp;

namespace DistDepth.TrainingCore.Training;

/// <summary>
/// previews/step-NNNNNN.png for a person: one row per preview frame, input | prediction | expert | GT
/// (the last two where the dataset has them), depth colourised with the dataset's colour map.
/// </summary>
public sealed class RunPreview(IReadOnlyList<StereoFrame> frames)
{
    public const string Folder = "previews";

    /// <summary>The first frame of the first few sequences: fixed, so previews compare across steps.</summary>
    public static async Task<RunPreview> ChooseAsync(DatasetReader reader, IEnumerable<SequenceEntry> sequences, int count, CancellationToken ct)
    {
        var frames = new List<StereoFrame>();
        foreach (var s in sequences.OrderBy(s => s.SequenceId, StringComparer.Ordinal).Take(count))
            frames.Add((await reader.ReadSequenceAsync(s.SequenceId, ct))[0]);
        return new RunPreview(frames);
    }

    public string Write(string runDirectory, long step, DepthPredictor predictor)
    {
        var rows = frames.Select(frame => Row(frame, predictor)).ToList();
        var path = Path.Combine(runDirectory, Folder, $"step-{step:D6}.png");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllBytes(path, Stack(rows));
        return path;
    }

    static List<RgbImage> Row(StereoFrame frame, DepthPredictor predictor)
    {
        var input = ImageCodec.DecodeRgb(frame.Left);
        var row = new List<RgbImage> { input, DepthColormap.Colourise(predictor.Predict(input)) };
        if (frame.Expert is not null)
        {
            // Colourised as depth 1/E: the colour map shows inverse depth, so this shows E itself.
            var e = ExpertMap.Decode(frame, out int w, out int h);
            row.Add(Fit(DepthColormap.Colourise(new DepthMap(w, h, e.Select(v => v > 0 ? 1 / v : 0).ToArray())), input));
        }
        if (frame.Depth is not null) row.Add(DepthColormap.Colourise(ImageCodec.DecodeDepth(frame.Depth)));
        return row;
    }

    static RgbImage Fit(RgbImage image, RgbImage like)
    {
        if (image.Width == like.Width && image.Height == like.Height) return image;
        using var source = Mat.FromPixelData(image.Height, image.Width, MatType.CV_8UC3, image.Pixels);
        using var resized = new Mat();
        Cv2.Resize(source, resized, new Size(like.Width, like.Height));
        resized.GetArray(out Vec3b[] pixels);
        return new RgbImage(like.Width, like.Height, System.Runtime.InteropServices.MemoryMarshal.AsBytes(pixels.AsSpan()).ToArray());
    }

    static byte[] Stack(List<List<RgbImage>> rows)
    {
        var mats = new List<Mat>();
        try
        {
            var rowMats = rows.Select(row =>
            {
                var tiles = row.Select(t => Mat.FromPixelData(t.Height, t.Width, MatType.CV_8UC3, t.Pixels)).ToArray();
                mats.AddRange(tiles);
                var m = new Mat();
                Cv2.HConcat(tiles, m);
                mats.Add(m);
                return m;
            }).ToList();
            int width = rowMats.Max(r => r.Cols);
            foreach (var r in rowMats.Where(r => r.Cols < width))
                Cv2.CopyMakeBorder(r, r, 0, 0, 0, width - r.Cols, BorderTypes.Constant, Scalar.Black);
            using var sheet = new Mat();
            Cv2.VConcat(rowMats.ToArray(), sheet);
            Cv2.CvtColor(sheet, sheet, ColorConversionCodes.RGB2BGR);
            Cv2.ImEncode(".png", sheet, out var png);
            return png;
        }
        finally
        {
            foreach (var m in mats) m.Dispose();
        }
    }
}

using System.Globalization;
using DistDepth.Dataset;

namespace DistDepth.TrainingCore.RealRgbd;

/// <summary>
/// Colour + depth image pairs from two folders (or two files): TUM RGB-D, SUN RGB-D, ScanNet or any
/// millimetre PNGs. Pairs by file name without extension; where names are timestamps (TUM's rgb/ and
/// depth/), by the nearest timestamp within 0.02 s, as TUM's associate.py does.
/// </summary>
public static class RgbdFolder
{
    const double MaxTimestampGapS = 0.02;
    static readonly string[] ColourExtensions = [".png", ".jpg", ".jpeg"];

    public static IReadOnlyList<(string Colour, string Depth)> Pairs(string colour, string depth)
    {
        if (File.Exists(colour) && File.Exists(depth)) return [(colour, depth)];
        if (!Directory.Exists(colour)) throw new DirectoryNotFoundException($"{colour}: no such folder or file (--color)");
        if (!Directory.Exists(depth)) throw new DirectoryNotFoundException($"{depth}: no such folder or file (--depth)");
        var colours = Directory.EnumerateFiles(colour).Where(f => ColourExtensions.Contains(Path.GetExtension(f).ToLowerInvariant()))
            .ToDictionary(f => Path.GetFileNameWithoutExtension(f));
        var depths = Directory.EnumerateFiles(depth, "*.png").ToDictionary(f => Path.GetFileNameWithoutExtension(f));
        var byName = colours.Keys.Where(depths.ContainsKey).Order(StringComparer.Ordinal).Select(k => (colours[k], depths[k])).ToList();
        if (byName.Count > 0) return byName;
        var byTime = ByTimestamp(colours, depths);
        if (byTime.Count == 0) throw new InvalidDataException($"{colour} and {depth}: no colour image has a depth image of the same name or timestamp");
        return byTime;
    }

    static List<(string, string)> ByTimestamp(Dictionary<string, string> colours, Dictionary<string, string> depths)
    {
        static double? Time(string name) => double.TryParse(name, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) ? t : null;
        var depthTimes = depths.Keys.Select(k => (Time: Time(k), Key: k)).Where(d => d.Time is not null).OrderBy(d => d.Time).ToList();
        var pairs = new List<(string, string)>();
        foreach (var (name, path) in colours.Select(c => (c.Key, c.Value)).OrderBy(c => Time(c.Key) ?? double.MaxValue))
        {
            if (Time(name) is not double t || depthTimes.Count == 0) continue;
            var nearest = depthTimes.MinBy(d => Math.Abs(d.Time!.Value - t));
            if (Math.Abs(nearest.Time!.Value - t) <= MaxTimestampGapS) pairs.Add((path, depths[nearest.Key]));
        }
        return pairs;
    }

    public static (RgbImage Colour, DepthMap Depth) Read(string colourPath, string depthPath, DepthEncoding encoding)
    {
        RgbImage colour;
        using (var mat = OpenCvSharp.Cv2.ImRead(colourPath, OpenCvSharp.ImreadModes.Color))
        {
            if (mat.Empty()) throw new InvalidDataException($"{colourPath}: not an image OpenCV can read");
            using var rgb = new OpenCvSharp.Mat();
            OpenCvSharp.Cv2.CvtColor(mat, rgb, OpenCvSharp.ColorConversionCodes.BGR2RGB);
            colour = ImageCodec.ToRgbImage(rgb);
        }
        ushort[] stored;
        int width, height;
        try
        {
            stored = ImageCodec.DecodeUInt16(File.ReadAllBytes(depthPath), out width, out height);
        }
        catch (Exception e) when (e is not IOException)
        {
            throw new InvalidDataException($"{depthPath}: not a 16-bit depth PNG ({e.Message})");
        }
        return (colour, new DepthMap(width, height, DepthEncodings.ToMetres(stored, encoding)));
    }
}

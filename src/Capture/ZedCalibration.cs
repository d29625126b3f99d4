namespace DistDepth.Capture;

/// <summary>Intrinsics of one raw (distorted) camera, in pixels at its resolution; distortion in OpenCV order.</summary>
public sealed record PinholeCamera(double Fx, double Fy, double Cx, double Cy, double[] Distortion);

/// <summary>
/// A raw stereo pair in OpenCV's convention: a point X in the left camera is R·X + T in the right
/// camera (R from the Rodrigues vector <see cref="Rotation"/>), T in metres.
/// </summary>
public sealed record StereoCalibration(int Width, int Height, PinholeCamera Left, PinholeCamera Right, double[] Rotation, double[] TranslationM)
{
    public double BaselineM => Math.Sqrt(TranslationM.Sum(t => t * t));
}

/// <summary>
/// A ZED factory calibration file <c>SN&lt;serial&gt;.conf</c> (from /usr/local/zed/settings or
/// calib.stereolabs.com): <c>[LEFT_CAM_&lt;RES&gt;]</c>/<c>[RIGHT_CAM_&lt;RES&gt;]</c> per resolution
/// (RES in 2K, FHD, HD, VGA) with fx fy cx cy k1 k2 p1 p2 k3 (newer models add k4-k6, s1-s4), and
/// <c>[STEREO]</c> with Baseline, TY, TZ in millimetres and CV_/RX_/RZ_&lt;RES&gt; in radians.
/// </summary>
public sealed class ZedCalibration
{
    static readonly string[] DistortionKeys = ["k1", "k2", "p1", "p2", "k3", "k4", "k5", "k6", "s1", "s2", "s3", "s4"];

    readonly Dictionary<ZedResolution, StereoCalibration> byResolution;

    ZedCalibration(string path, Dictionary<ZedResolution, StereoCalibration> byResolution)
    {
        Path = path;
        this.byResolution = byResolution;
    }

    public string Path { get; }
    public IReadOnlyCollection<ZedResolution> Resolutions => byResolution.Keys;

    public static ZedCalibration Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: calibration file not found", path);
        return Parse(File.ReadAllText(path), path);
    }

    public static ZedCalibration Parse(string text, string path)
    {
        var conf = ConfFile.Parse(text, path);
        if (!conf.HasSection("STEREO")) throw new InvalidDataException($"{path}: missing section [STEREO]");
        var found = new Dictionary<ZedResolution, StereoCalibration>();
        foreach (var res in ZedResolution.All)
        {
            string left = $"LEFT_CAM_{res.ConfSuffix}", right = $"RIGHT_CAM_{res.ConfSuffix}";
            if (!conf.HasSection(left) && !conf.HasSection(right)) continue;
            found[res] = new StereoCalibration(res.Width, res.Height, Camera(conf, left), Camera(conf, right),
                [conf.Number("STEREO", $"RX_{res.ConfSuffix}"), conf.Number("STEREO", $"CV_{res.ConfSuffix}"), conf.Number("STEREO", $"RZ_{res.ConfSuffix}")],
                Translation(conf));
        }
        if (found.Count == 0)
            throw new InvalidDataException($"{path}: no camera sections ([LEFT_CAM_HD], [RIGHT_CAM_HD], ... for 2K, FHD, HD or VGA)");
        return new ZedCalibration(path, found);
    }

    public StereoCalibration For(ZedResolution resolution) =>
        byResolution.TryGetValue(resolution, out var calibration) ? calibration
            : throw new InvalidDataException($"{Path}: no calibration for {resolution.Name} ({resolution.Width}x{resolution.Height}, sections [LEFT_CAM_{resolution.ConfSuffix}]/[RIGHT_CAM_{resolution.ConfSuffix}])");

    /// <summary>The calibration for a raw image size (one eye).</summary>
    public StereoCalibration ForSize(int width, int height) =>
        For(ZedResolution.OfSize(width, height)
            ?? throw new InvalidDataException($"{width}x{height} per eye is not a ZED-2i resolution ({string.Join(", ", ZedResolution.All.Select(r => $"{r.Width}x{r.Height}"))})"));

    /// <summary>The factory file of a camera where the ZED tools keep it, or null.</summary>
    public static string? FindFactoryFile(int serial)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return new[] { "/usr/local/zed/settings", System.IO.Path.Combine(home, "zed", "settings") }
            .Select(dir => System.IO.Path.Combine(dir, $"SN{serial}.conf"))
            .FirstOrDefault(File.Exists);
    }

    static PinholeCamera Camera(ConfFile conf, string section)
    {
        if (!conf.HasSection(section)) throw new InvalidDataException($"{conf.Path}: missing section [{section}]");
        var distortion = DistortionKeys.Select(k => conf.TryNumber(section, k) ?? 0).ToArray();
        // OpenCV takes 5, 8 or 12 coefficients; keep the shortest that holds every non-zero one.
        int used = Array.FindLastIndex(distortion, d => d != 0) + 1;
        int length = used <= 5 ? 5 : used <= 8 ? 8 : 12;
        return new PinholeCamera(conf.Number(section, "fx"), conf.Number(section, "fy"),
            conf.Number(section, "cx"), conf.Number(section, "cy"), distortion[..length]);
    }

    // The file gives where the right camera sits (Baseline along +x, TY, TZ; millimetres). OpenCV wants
    // the left-to-right point transform, whose translation points the other way, in metres. TY and TZ are
    // per file, not per resolution: reading TY_<RES> (as zed-open-capture does) silently yields 0.
    static double[] Translation(ConfFile conf) =>
        [-conf.Number("STEREO", "Baseline") / 1000, -conf.Number("STEREO", "TY") / 1000, -conf.Number("STEREO", "TZ") / 1000];
}

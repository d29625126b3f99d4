namespace DistDepth.Capture;

/// <summary>How a lens bends rays: OpenCV's radial-tangential model (k1 k2 p1 p2 k3 ...) or its fisheye one (k1..k4).</summary>
public enum LensModel { RadialTangential, Fisheye }

/// <summary>Intrinsics of one raw (distorted) camera, in pixels at its resolution; distortion in OpenCV order for <paramref name="Lens"/>.</summary>
public sealed record PinholeCamera(double Fx, double Fy, double Cx, double Cy, double[] Distortion, LensModel Lens = LensModel.RadialTangential);

/// <summary>
/// A raw stereo pair in OpenCV's convention: a point X in the left camera is R·X + T in the right
/// camera (R from the Rodrigues vector <see cref="Rotation"/>), T in metres.
/// </summary>
public sealed record StereoCalibration(int Width, int Height, PinholeCamera Left, PinholeCamera Right, double[] Rotation, double[] TranslationM)
{
    public double BaselineM => Math.Sqrt(TranslationM.Sum(t => t * t));
}

/// <summary>
/// A ZED calibration file <c>SN&lt;serial&gt;.conf</c> as Stereolabs writes it (the factory file from
/// /usr/local/zed/settings or calib.stereolabs.com, or stereolabs/zedx-one-capture's
/// stereo_calibration/main.cpp): <c>[LEFT_CAM_&lt;RES&gt;]</c>/<c>[RIGHT_CAM_&lt;RES&gt;]</c> per resolution
/// (RES in 2K, FHD, HD, VGA) with fx fy cx cy, and the distortion either there (k1 k2 p1 p2 k3, newer
/// models k4-k6, s1-s4) or once per eye in <c>[LEFT_DISTO]</c>/<c>[RIGHT_DISTO]</c> (k1..k6 p1 p2, or the
/// fisheye k1..k4 without p1/p2); <c>[STEREO]</c> with Baseline, TY, TZ in millimetres and RX_, CV_ (or
/// RY_) and RZ_&lt;RES&gt;, the Rodrigues vector of OpenCV's left-to-right rotation, in radians.
/// </summary>
public sealed class ZedCalibration
{
    static readonly string[] DistortionKeys = ["k1", "k2", "p1", "p2", "k3", "k4", "k5", "k6", "s1", "s2", "s3", "s4"];
    static readonly string[] FisheyeKeys = ["k1", "k2", "k3", "k4"];

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
            found[res] = new StereoCalibration(res.Width, res.Height, Camera(conf, left, "LEFT_DISTO"), Camera(conf, right, "RIGHT_DISTO"),
                [conf.Number("STEREO", $"RX_{res.ConfSuffix}"), RotationAboutY(conf, res.ConfSuffix), conf.Number("STEREO", $"RZ_{res.ConfSuffix}")],
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

    // Distortion is in normalised coordinates, the same at every resolution: the per-resolution section
    // holds it in factory files, [LEFT_DISTO]/[RIGHT_DISTO] in files from Stereolabs' calibration tools
    // (which leave the per-resolution sections with fx fy cx cy only). Reading neither would be silently
    // distortion-free, so a file with neither is refused.
    static PinholeCamera Camera(ConfFile conf, string section, string distoSection)
    {
        if (!conf.HasSection(section)) throw new InvalidDataException($"{conf.Path}: missing section [{section}]");
        double fx = conf.Number(section, "fx"), fy = conf.Number(section, "fy"), cx = conf.Number(section, "cx"), cy = conf.Number(section, "cy");
        var (distortion, lens) = conf.HasSection(distoSection) ? Distortion(conf, distoSection)
            : DistortionKeys.Any(k => conf.TryNumber(section, k) is not null) ? (Trimmed(DistortionKeys.Select(k => conf.TryNumber(section, k) ?? 0).ToArray()), LensModel.RadialTangential)
            : throw new InvalidDataException($"{conf.Path}: no distortion for [{section}] (k1, k2, p1, p2, k3 there, or a [{distoSection}] section)");
        return new PinholeCamera(fx, fy, cx, cy, distortion, lens);
    }

    // zedx-one-capture writes k1 k2 p1 p2 k3 k4 k5 k6 for the radial-tangential model and k1 k2 k3 k4 for
    // the fisheye one: the tangential terms tell them apart.
    static (double[], LensModel) Distortion(ConfFile conf, string section)
    {
        if (conf.TryNumber(section, "p1") is null && conf.TryNumber(section, "p2") is null && conf.TryNumber(section, "k4") is not null)
        {
            if (conf.TryNumber(section, "k5") is not null || conf.TryNumber(section, "k6") is not null)
                throw new InvalidDataException($"{conf.Path}: [{section}] has k5/k6 but no p1/p2: neither the radial-tangential nor the fisheye model");
            return (FisheyeKeys.Select(k => conf.Number(section, k)).ToArray(), LensModel.Fisheye);
        }
        return (Trimmed(DistortionKeys.Select(k => conf.TryNumber(section, k) ?? 0).ToArray()), LensModel.RadialTangential);
    }

    // OpenCV takes 5, 8 or 12 coefficients; keep the shortest that holds every non-zero one.
    static double[] Trimmed(double[] distortion)
    {
        int used = Array.FindLastIndex(distortion, d => d != 0) + 1;
        return distortion[..(used <= 5 ? 5 : used <= 8 ? 8 : 12)];
    }

    // Stereolabs' documentation names the convergence angle CV_<RES> or RY_<RES>.
    static double RotationAboutY(ConfFile conf, string suffix)
    {
        double? cv = conf.TryNumber("STEREO", $"CV_{suffix}"), ry = conf.TryNumber("STEREO", $"RY_{suffix}");
        if (cv is not null && ry is not null && cv != ry)
            throw new InvalidDataException($"{conf.Path}: [STEREO] has both CV_{suffix} = {cv} and RY_{suffix} = {ry}; they name the same angle");
        return cv ?? ry ?? throw new InvalidDataException($"{conf.Path}: [STEREO] has no CV_{suffix} (or RY_{suffix})");
    }

    // Stereolabs' writer (zedx-one-capture, stereo_calibration/main.cpp) stores OpenCV stereoCalibrate's T,
    // the left-to-right point transform, as Baseline = -T[0], TY = T[1], TZ = T[2], in millimetres; OpenCV
    // wants T back, in metres. TY and TZ are per file, not per resolution: reading TY_<RES> (as
    // zed-open-capture does) silently yields 0.
    static double[] Translation(ConfFile conf) =>
        [-conf.Number("STEREO", "Baseline") / 1000, conf.Number("STEREO", "TY") / 1000, conf.Number("STEREO", "TZ") / 1000];
}

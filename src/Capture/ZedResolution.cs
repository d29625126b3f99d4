namespace DistDepth.Capture;

/// <summary>
/// The ZED-2i per-eye modes: the side-by-side stream is twice as wide. <see cref="ConfSuffix"/> names the
/// resolution in factory calibration files (<c>[LEFT_CAM_HD]</c>, <c>CV_HD</c>, ...).
/// </summary>
public sealed record ZedResolution(string Name, int Width, int Height, string ConfSuffix, Zed.SL_RESOLUTION Sdk, int[] Fps)
{
    public static readonly ZedResolution HD2K = new("HD2K", 2208, 1242, "2K", Zed.SL_RESOLUTION.HD2K, [15]);
    public static readonly ZedResolution HD1080 = new("HD1080", 1920, 1080, "FHD", Zed.SL_RESOLUTION.HD1080, [15, 30]);
    public static readonly ZedResolution HD720 = new("HD720", 1280, 720, "HD", Zed.SL_RESOLUTION.HD720, [15, 30, 60]);
    public static readonly ZedResolution VGA = new("VGA", 672, 376, "VGA", Zed.SL_RESOLUTION.VGA, [15, 30, 60, 100]);
    public static readonly IReadOnlyList<ZedResolution> All = [HD2K, HD1080, HD720, VGA];

    public static ZedResolution Parse(string name) =>
        All.FirstOrDefault(r => r.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"--resolution {name}: expected one of {string.Join(", ", All.Select(r => r.Name))}");

    public static ZedResolution? OfSize(int width, int height) => All.FirstOrDefault(r => r.Width == width && r.Height == height);

    public void CheckFps(int fps)
    {
        if (!Fps.Contains(fps))
            throw new ArgumentException($"--fps {fps}: {Name} runs at {string.Join(", ", Fps)} fps");
    }
}

namespace DistDepth.TestSupport;

public static class TempFolder
{
    /// <summary>A fresh, empty folder under the system temp folder; tests never share one.</summary>
    public static string New(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "distdepth-tests", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;

namespace DistDepth.TestSupport;

/// <summary>Fresh folders under the system temp folder, in one folder per test process. Left behind, one full test
/// run leaves 2.7 GB of datasets, runs and scenes on a shared disk, so a process deletes its own when it exits. The
/// test host is ended at the end of a run without running its exit handlers: scripts/test.sh then deletes the run's
/// folders, and each process, when it starts, those of test processes that ended an hour ago or more.</summary>
public static class TempFolder
{
    private static readonly string Parent = Path.Combine(Path.GetTempPath(), "distdepth-tests");
    private static readonly string Root = CreateRoot();

    private static string CreateRoot()
    {
        Directory.CreateDirectory(Parent);
        // Only this machine's (a container sharing the temp folder has its own process ids), and only folders
        // untouched for an hour, so a test run elsewhere that reuses the name is never emptied under its feet.
        var host = $"{Environment.MachineName}-pid";
        foreach (var dir in Directory.EnumerateDirectories(Parent, host + "*"))
            if (int.TryParse(Path.GetFileName(dir)[host.Length..], out var pid) && !Running(pid) &&
                Directory.GetLastWriteTimeUtc(dir) < DateTime.UtcNow.AddHours(-1))
                Delete(dir);
        // Short: a Slurm test puts munged's socket a few folders down, and socket paths stop at 108 bytes.
        var root = Path.Combine(Parent, $"{host}{Environment.ProcessId}");
        Directory.CreateDirectory(root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Delete(root);
        return root;
    }

    /// <summary>A fresh, empty folder; tests never share one.</summary>
    public static string New(string name)
    {
        var dir = Path.Combine(Root, $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static bool Running(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
    }

    private static void Delete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { } // a child may still hold a file; the rest go
    }
}

using System.Runtime.InteropServices;

namespace DistDepth.Dataset;

/// <summary>
/// Where a manifest's relative shard names may lead: inside the dataset folder and nowhere else.
/// A manifest is data someone else may have written; a listed `../victim/shards/x.parquet` or a
/// symlink to /etc would otherwise let a rewriting verb delete, or a merge hard-link, files that are
/// not the dataset's.
/// </summary>
public static partial class DatasetPaths
{
    /// <summary>Why <paramref name="relative"/> is not a plain relative name inside a dataset, or null if it is.</summary>
    public static string? SyntaxProblem(string relative)
    {
        if (string.IsNullOrWhiteSpace(relative)) return "is empty";
        if (relative.Contains('\0') || relative.Contains('\\')) return "holds a NUL or backslash";
        if (relative.StartsWith('/') || Path.IsPathRooted(relative)) return "is an absolute path";
        if (relative.Split('/').Any(part => part is ".." or "." or "")) return "has '..', '.' or empty path segments";
        return null;
    }

    /// <summary>
    /// The full path of a listed file, after checking that it resolves, symlinks included, inside
    /// <paramref name="directory"/>. A file that does not exist yet is checked through its folder.
    /// </summary>
    public static string Resolve(string directory, string relative)
    {
        if (SyntaxProblem(relative) is { } problem)
            throw new InvalidDataException($"{DatasetManifest.PathIn(directory)}: shard path '{relative}' {problem}; shard paths must stay inside the dataset folder");
        var path = Path.Combine(directory, relative);
        var root = RealPath(directory) ?? Path.GetFullPath(directory);
        var existing = path;
        while (!File.Exists(existing) && !Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent && parent != existing)
            existing = parent;
        var real = RealPath(existing) ?? Path.GetFullPath(existing);
        if (real != root && !real.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal))
            throw new InvalidDataException($"{DatasetManifest.PathIn(directory)}: shard path '{relative}' resolves outside the dataset folder (through a symbolic link); refused");
        return path;
    }

    /// <summary>The canonical path with every symlink resolved (realpath(3)), or null if it does not exist.</summary>
    static string? RealPath(string path)
    {
        if (OperatingSystem.IsWindows()) return Path.GetFullPath(path);
        var buffer = new byte[4096]; // PATH_MAX on Linux
        return realpath(path, buffer) == 0 ? null : System.Text.Encoding.UTF8.GetString(buffer, 0, Array.IndexOf(buffer, (byte)0));
    }

    [LibraryImport("libc", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint realpath(string path, byte[] resolved);
}

using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Microsoft.Win32.SafeHandles;

namespace DistDepth.SimServer.Service;

/// <summary>
/// Linux memfds sealed against resizing (memfd_create(2), fcntl(2) F_ADD_SEALS): memory with no name in
/// any folder, which the kernel frees when its last descriptor or mapping goes, and whose size no one can
/// change once sealed. Another process on the machine reaches it as /proc/&lt;pid&gt;/fd/&lt;fd&gt; of its owner.
/// </summary>
public static partial class SealedMemory
{
    private const uint MfdCloexec = 0x1, MfdAllowSealing = 0x2;
    private const int FAddSeals = 1024 + 9, FGetSeals = 1024 + 10;
    private const int SealSeal = 0x1, SealShrink = 0x2, SealGrow = 0x4;

    /// <summary>A new memfd of <paramref name="bytes"/> zero bytes, sealed against shrinking, growing and
    /// further sealing, and the path by which another process of the same user opens it.</summary>
    /// <exception cref="IOException">not Linux, or the kernel refused</exception>
    public static (SafeFileHandle Handle, string Path) Create(string name, long bytes)
    {
        if (!OperatingSystem.IsLinux()) throw new IOException("shared memory rings need Linux (memfd_create)");
        var fd = MemfdCreate(name, MfdCloexec | MfdAllowSealing);
        if (fd < 0) throw Failed("memfd_create");
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (Ftruncate(fd, bytes) != 0 || Fcntl(fd, FAddSeals, SealShrink | SealGrow | SealSeal) != 0)
        {
            var e = Failed("sizing and sealing a memfd");
            handle.Dispose();
            throw e;
        }
        return (handle, $"/proc/{Environment.ProcessId}/fd/{fd}");
    }

    /// <summary>The memfd at <paramref name="path"/> (/proc/&lt;pid&gt;/fd/&lt;fd&gt; only) opened for reading and
    /// writing, or null unless it is a memfd whose name starts with <paramref name="namePrefix"/>, sealed
    /// against shrinking and exactly <paramref name="bytes"/> long.</summary>
    public static SafeFileHandle? TryOpen(string path, string namePrefix, long bytes)
    {
        if (!OperatingSystem.IsLinux() || !DescriptorPath().IsMatch(path)) return null;
        SafeFileHandle handle;
        try
        {
            // Opening has effects on some devices: look at what the descriptor is before opening it.
            if (new FileInfo(path).LinkTarget?.StartsWith("/memfd:" + namePrefix, StringComparison.Ordinal) != true) return null;
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        var seals = Fcntl((int)handle.DangerousGetHandle(), FGetSeals, 0);
        if (seals < 0 || (seals & SealShrink) == 0 || RandomAccess.GetLength(handle) != bytes)
        {
            handle.Dispose();
            return null;
        }
        return handle;
    }

    [GeneratedRegex("^/proc/[0-9]{1,10}/fd/[0-9]{1,10}$")]
    private static partial Regex DescriptorPath();

    private static IOException Failed(string what) => new($"{what} failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");

    [LibraryImport("libc", EntryPoint = "memfd_create", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int MemfdCreate(string name, uint flags);

    [LibraryImport("libc", EntryPoint = "ftruncate", SetLastError = true)]
    private static partial int Ftruncate(int fd, long length);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);
}

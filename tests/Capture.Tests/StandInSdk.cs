using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace DistDepth.Capture.Tests;

/// <summary>
/// StandIn/sl_zed_c_standin.c (a stand-in for the ZED SDK's libsl_zed_c.so with the same symbols and
/// struct layouts) compiled with the system C compiler, once per variant per test run: the SDK version
/// it reports and the warnings it injects are compile-time settings of the C file.
/// </summary>
public sealed unsafe class StandInSdk
{
    static readonly ConcurrentDictionary<string, Lazy<StandInSdk>> built = new();

    /// <summary>The newest verified SDK, as a user would have it installed.</summary>
    public static StandInSdk V52 => Of("5.2.1");
    public static StandInSdk V51 => Of("5.1.2");

    /// <summary>A stand-in reporting <paramref name="version"/> (major.minor.patch), with optional -D settings of the C file.</summary>
    public static StandInSdk Of(string version, params string[] settings) =>
        built.GetOrAdd($"{version} {string.Join(' ', settings)}", _ => new Lazy<StandInSdk>(() => new StandInSdk(version, settings))).Value;

    readonly Lazy<nint> handle;

    StandInSdk(string version, string[] settings)
    {
        Version = version;
        Library = Path.Combine(TempFolder.New("standin"), "libsl_zed_c.so");
        var parts = version.Split('.');
        var info = new ProcessStartInfo("cc") { RedirectStandardError = true };
        foreach (var a in new[] { "-shared", "-fPIC", "-O1", "-Wall", "-Werror", "-o", Library,
                     Path.Combine(AppContext.BaseDirectory, "StandIn", "sl_zed_c_standin.c"), "-lm",
                     $"-DSTANDIN_SDK_MAJOR={parts[0]}", $"-DSTANDIN_SDK_MINOR={parts[1]}", $"-DSTANDIN_SDK_PATCH={parts[2]}" })
            info.ArgumentList.Add(a);
        foreach (var s in settings) info.ArgumentList.Add($"-D{s}");
        using var cc = Process.Start(info)!;
        var errors = cc.StandardError.ReadToEnd();
        cc.WaitForExit();
        if (cc.ExitCode != 0) throw new InvalidOperationException($"cc failed: {errors}");
        // Loaded once per process, like the real SDK; ZedApi.Load gets the same handle for the same path.
        handle = new(() => NativeLibrary.Load(Library));
    }

    public string Library { get; }
    public string Version { get; }

    /// <summary>sizeof("SL_X") or offsetof("SL_X.field") as the C compiler lays the struct out; -1 if unknown.</summary>
    public long Layout(string name)
    {
        var text = Marshal.StringToCoTaskMemUTF8(name);
        try
        {
            return ((delegate* unmanaged[Cdecl]<byte*, long>)NativeLibrary.GetExport(handle.Value, "standin_layout"))((byte*)text);
        }
        finally
        {
            Marshal.FreeCoTaskMem(text);
        }
    }

    /// <summary>What a standin_* hook points at: the last struct passed in, or a counter.</summary>
    public T Last<T>(string hook) where T : unmanaged =>
        *((delegate* unmanaged[Cdecl]<T*>)NativeLibrary.GetExport(handle.Value, hook))();
}

using System.Diagnostics;
using System.Runtime.InteropServices;

namespace DistDepth.Capture.Tests;

/// <summary>
/// Compiles StandIn/sl_zed_c_standin.c (a stand-in for the ZED SDK's libsl_zed_c.so with the same
/// symbols and struct layouts) with the system C compiler, once per version per test run.
/// </summary>
internal static unsafe class StandInSdk
{
    static readonly Lazy<string> current = new(() => Build(null));

    /// <summary>The stand-in reporting the SDK version the bindings are for.</summary>
    public static string Library => current.Value;

    /// <summary>A stand-in reporting <paramref name="version"/> from sl_get_sdk_version.</summary>
    public static string Build(string? version)
    {
        var dir = TempFolder.New("standin");
        var library = Path.Combine(dir, "libsl_zed_c.so");
        var info = new ProcessStartInfo("cc") { RedirectStandardError = true };
        foreach (var a in new[] { "-shared", "-fPIC", "-O1", "-Wall", "-Werror", "-o", library,
                     Path.Combine(AppContext.BaseDirectory, "StandIn", "sl_zed_c_standin.c"), "-lm" })
            info.ArgumentList.Add(a);
        if (version is not null) info.ArgumentList.Add($"-DSTANDIN_SDK_VERSION=\"{version}\"");
        using var cc = Process.Start(info)!;
        var errors = cc.StandardError.ReadToEnd();
        cc.WaitForExit();
        if (cc.ExitCode != 0) throw new InvalidOperationException($"cc failed: {errors}");
        return library;
    }

    /// <summary>The stand-in's test hooks (it is loaded once per process, like the real SDK).</summary>
    public static class Hooks
    {
        static readonly nint Handle = NativeLibrary.Load(Library);

        public static long Layout(string name)
        {
            var text = Marshal.StringToCoTaskMemUTF8(name);
            try
            {
                return ((delegate* unmanaged[Cdecl]<byte*, long>)NativeLibrary.GetExport(Handle, "standin_layout"))((byte*)text);
            }
            finally
            {
                Marshal.FreeCoTaskMem(text);
            }
        }

        public static T Last<T>(string hook) where T : unmanaged =>
            *((delegate* unmanaged[Cdecl]<T*>)NativeLibrary.GetExport(Handle, hook))();
    }
}

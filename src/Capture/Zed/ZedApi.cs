using System.Runtime.InteropServices;

namespace DistDepth.Capture.Zed;

/// <summary>
/// The ZED SDK C API (<c>libsl_zed_c.so</c>) resolved at run time, so that a machine without the SDK
/// gets one sentence saying what to install instead of a DllNotFoundException trace, and so that a
/// non-standard install (or a stand-in library in tests) can be named with <c>--zed-library</c>.
/// </summary>
public sealed unsafe class ZedApi
{
    /// <summary>
    /// The SDK major.minor versions whose C API (stereolabs/zed-c-api, include/sl/c_api/types_c.h at tags
    /// v5.1 and v5.2.1, unchanged at HEAD 04e3d2b) declares every struct, enum and export the bindings use
    /// exactly as ZedNativeTypes.cs does. 5.0 differs (SL_PositionalTrackingParameters is shorter).
    /// </summary>
    public static readonly Version[] VerifiedVersions = [new(5, 1), new(5, 2)];
    public const string LibraryFile = "libsl_zed_c.so";
    public const string DefaultDirectory = "/usr/local/zed/lib";
    public const string AllowNewerOption = "--zed-allow-newer-sdk";

    /// <summary>MAX_CAMERA_PLUGIN in types_c.h (the C API is built with WITH_UNLIMITED_CAMERA): camera ids index an array this long.</summary>
    public const int CameraSlots = 20;

    static string Verified => string.Join(" and ", VerifiedVersions.Select(v => v.ToString(2)));

    static readonly string InstallHint =
        $"install the ZED SDK {VerifiedVersions[^1].ToString(2)} (https://www.stereolabs.com/developers/release) and its C API " +
        $"(https://github.com/stereolabs/zed-c-api: cmake, make, sudo make install puts {LibraryFile} in {DefaultDirectory}), " +
        "or name the library with --zed-library PATH; without the SDK, record with `capture zed --uvc`";

    public string Path { get; }
    public Version SdkVersion { get; }

    internal readonly delegate* unmanaged[Cdecl]<int, byte> sl_create_camera;
    internal readonly delegate* unmanaged[Cdecl]<int, SL_InitParameters*, uint, byte*, byte*, int, int, byte*, byte*, byte*, int> sl_open_camera;
    internal readonly delegate* unmanaged[Cdecl]<int, void> sl_close_camera;
    internal readonly delegate* unmanaged[Cdecl]<int, SL_RuntimeParameters*, int> sl_grab;
    internal readonly delegate* unmanaged[Cdecl]<int, nint, SL_VIEW, SL_MEM, int, int, nint, int> sl_retrieve_image;
    internal readonly delegate* unmanaged[Cdecl]<int, nint, SL_MEASURE, SL_MEM, int, int, nint, int> sl_retrieve_measure;
    internal readonly delegate* unmanaged[Cdecl]<int, int, SL_MAT_TYPE, SL_MEM, nint> sl_mat_create_new;
    internal readonly delegate* unmanaged[Cdecl]<nint, SL_MEM, nint> sl_mat_get_ptr;
    internal readonly delegate* unmanaged[Cdecl]<nint, SL_MEM, int> sl_mat_get_step_bytes;
    internal readonly delegate* unmanaged[Cdecl]<nint, SL_MEM, void> sl_mat_free;
    internal readonly delegate* unmanaged[Cdecl]<int, byte, SL_CalibrationParameters*> sl_get_calibration_parameters;
    internal readonly delegate* unmanaged[Cdecl]<int, int> sl_get_width;
    internal readonly delegate* unmanaged[Cdecl]<int, int> sl_get_height;
    internal readonly delegate* unmanaged[Cdecl]<int, int> sl_get_zed_serial;
    internal readonly delegate* unmanaged[Cdecl]<int, ulong> sl_get_image_timestamp;
    internal readonly delegate* unmanaged[Cdecl]<int, SL_PositionalTrackingParameters*, byte*, int> sl_enable_positional_tracking;
    internal readonly delegate* unmanaged[Cdecl]<int, SL_Quaternion*, SL_Vector3*, SL_REFERENCE_FRAME, int> sl_get_position;
    internal readonly delegate* unmanaged[Cdecl]<int, byte*, SL_SVO_COMPRESSION_MODE, uint, int, byte, int> sl_enable_recording;
    internal readonly delegate* unmanaged[Cdecl]<int, void> sl_disable_recording;
    internal readonly delegate* unmanaged[Cdecl]<int, int> sl_get_svo_number_of_frames;

    ZedApi(string path, nint handle, bool allowNewerMinor, Action<string> warn)
    {
        Path = path;
        nint Export(string name) => NativeLibrary.TryGetExport(handle, name, out var f) ? f
            : throw new ZedSdkException($"{path} does not export {name}: it is not the ZED C API of SDK {Verified}; {InstallHint}");

        var version = (delegate* unmanaged[Cdecl]<byte*>)Export("sl_get_sdk_version");
        // zed_interface.cpp strdup's the version on every call: the copy is ours to release with sl_free,
        // which 5.1 added; an older library is refused below, naming its version, and leaks those bytes.
        byte* copy = version();
        var text = Marshal.PtrToStringUTF8((nint)copy) ?? "";
        if (NativeLibrary.TryGetExport(handle, "sl_free", out var free)) ((delegate* unmanaged[Cdecl]<void*, void>)free)(copy);
        SdkVersion = ParseVersion(text)
            ?? throw new ZedSdkException($"{path}: sl_get_sdk_version returned '{text}', not a version number");
        CheckVersion(path, text, allowNewerMinor, warn);

        sl_create_camera = (delegate* unmanaged[Cdecl]<int, byte>)Export(nameof(sl_create_camera));
        sl_open_camera = (delegate* unmanaged[Cdecl]<int, SL_InitParameters*, uint, byte*, byte*, int, int, byte*, byte*, byte*, int>)Export(nameof(sl_open_camera));
        sl_close_camera = (delegate* unmanaged[Cdecl]<int, void>)Export(nameof(sl_close_camera));
        sl_grab = (delegate* unmanaged[Cdecl]<int, SL_RuntimeParameters*, int>)Export(nameof(sl_grab));
        sl_retrieve_image = (delegate* unmanaged[Cdecl]<int, nint, SL_VIEW, SL_MEM, int, int, nint, int>)Export(nameof(sl_retrieve_image));
        sl_retrieve_measure = (delegate* unmanaged[Cdecl]<int, nint, SL_MEASURE, SL_MEM, int, int, nint, int>)Export(nameof(sl_retrieve_measure));
        sl_mat_create_new = (delegate* unmanaged[Cdecl]<int, int, SL_MAT_TYPE, SL_MEM, nint>)Export(nameof(sl_mat_create_new));
        sl_mat_get_ptr = (delegate* unmanaged[Cdecl]<nint, SL_MEM, nint>)Export(nameof(sl_mat_get_ptr));
        sl_mat_get_step_bytes = (delegate* unmanaged[Cdecl]<nint, SL_MEM, int>)Export(nameof(sl_mat_get_step_bytes));
        sl_mat_free = (delegate* unmanaged[Cdecl]<nint, SL_MEM, void>)Export(nameof(sl_mat_free));
        sl_get_calibration_parameters = (delegate* unmanaged[Cdecl]<int, byte, SL_CalibrationParameters*>)Export(nameof(sl_get_calibration_parameters));
        sl_get_width = (delegate* unmanaged[Cdecl]<int, int>)Export(nameof(sl_get_width));
        sl_get_height = (delegate* unmanaged[Cdecl]<int, int>)Export(nameof(sl_get_height));
        sl_get_zed_serial = (delegate* unmanaged[Cdecl]<int, int>)Export(nameof(sl_get_zed_serial));
        sl_get_image_timestamp = (delegate* unmanaged[Cdecl]<int, ulong>)Export(nameof(sl_get_image_timestamp));
        sl_enable_positional_tracking = (delegate* unmanaged[Cdecl]<int, SL_PositionalTrackingParameters*, byte*, int>)Export(nameof(sl_enable_positional_tracking));
        sl_get_position = (delegate* unmanaged[Cdecl]<int, SL_Quaternion*, SL_Vector3*, SL_REFERENCE_FRAME, int>)Export(nameof(sl_get_position));
        sl_enable_recording = (delegate* unmanaged[Cdecl]<int, byte*, SL_SVO_COMPRESSION_MODE, uint, int, byte, int>)Export(nameof(sl_enable_recording));
        sl_disable_recording = (delegate* unmanaged[Cdecl]<int, void>)Export(nameof(sl_disable_recording));
        sl_get_svo_number_of_frames = (delegate* unmanaged[Cdecl]<int, int>)Export(nameof(sl_get_svo_number_of_frames));
    }

    /// <summary>
    /// Loads the C API from <paramref name="libraryPath"/>, or else from /usr/local/zed/lib, or else
    /// from the dynamic loader's search path. Throws <see cref="ZedSdkException"/> naming what is missing.
    /// A 5.x newer than the verified versions loads only with <paramref name="allowNewerMinor"/>, and then
    /// says so through <paramref name="warn"/>.
    /// </summary>
    public static ZedApi Load(string? libraryPath = null, bool allowNewerMinor = false, Action<string>? warn = null)
    {
        warn ??= _ => { };
        if (libraryPath is not null)
        {
            if (!File.Exists(libraryPath))
                throw new ZedSdkException($"--zed-library {libraryPath}: no such file");
            return new ZedApi(libraryPath, LoadOrExplain(libraryPath), allowNewerMinor, warn);
        }
        var standard = System.IO.Path.Combine(DefaultDirectory, LibraryFile);
        if (File.Exists(standard)) return new ZedApi(standard, LoadOrExplain(standard), allowNewerMinor, warn);
        if (NativeLibrary.TryLoad(LibraryFile, out var handle)) return new ZedApi(LibraryFile, handle, allowNewerMinor, warn);
        throw new ZedSdkException($"the ZED SDK C API ({LibraryFile}) is not installed: not in {DefaultDirectory} nor on the library search path; " +
            InstallHint);
    }

    // Struct layouts are only known for the verified versions; a mismatch would corrupt memory, not fail cleanly.
    // Stereolabs changes layouts between majors and has added fields in minors (5.0 -> 5.1), so a newer
    // minor is the user's call, an older one or another major is refused.
    void CheckVersion(string path, string text, bool allowNewerMinor, Action<string> warn)
    {
        var release = new Version(SdkVersion.Major, SdkVersion.Minor);
        if (VerifiedVersions.Contains(release)) return;
        var newest = VerifiedVersions[^1];
        if (release.Major == newest.Major && release > newest)
        {
            if (!allowNewerMinor)
                throw new ZedSdkException($"{path} is ZED SDK {text}, newer than the verified {Verified}: if its zed-c-api types_c.h declares " +
                    $"the structs of ZedNativeTypes.cs unchanged, pass {AllowNewerOption}; otherwise install {newest.ToString(2)}");
            warn($"{path} is ZED SDK {text}, newer than the verified {Verified}; {AllowNewerOption} given, so its struct layouts are assumed unchanged");
            return;
        }
        throw new ZedSdkException($"{path} is ZED SDK {text}, but these bindings follow the C API layouts of SDK {Verified}; {InstallHint}");
    }

    // The file is there but its dependencies (libsl_zed.so, CUDA) may not be: the loader's reason says which.
    static nint LoadOrExplain(string path)
    {
        try
        {
            return NativeLibrary.Load(path);
        }
        catch (DllNotFoundException e)
        {
            throw new ZedSdkException($"{path} exists but does not load ({e.Message.Trim()}); the ZED SDK and CUDA libraries it needs must be installed");
        }
    }

    static Version? ParseVersion(string text)
    {
        var parts = text.Trim().Split('.');
        return parts.Length >= 2 && int.TryParse(parts[0], out int major) && int.TryParse(parts[1], out int minor)
            ? new Version(major, minor) : null;
    }

    /// <summary>
    /// Throws a <see cref="ZedSdkException"/> naming the call and the SDK's error code. Negative codes are
    /// warnings (types_c.h, enum SL_ERROR_CODE; Stereolabs' samples test <c>&lt;= SUCCESS</c>): the call
    /// did its work, so they go to <paramref name="warn"/>.
    /// </summary>
    internal static void Check(int code, string call, Action<string> warn)
    {
        if (code > (int)SL_ERROR_CODE.SUCCESS)
            throw new ZedSdkException($"{call} failed: {Describe(code)}");
        if (code < (int)SL_ERROR_CODE.SUCCESS)
            warn($"{call}: {Describe(code)}");
    }

    internal static string Describe(int code) =>
        Enum.IsDefined(typeof(SL_ERROR_CODE), code) ? $"{(SL_ERROR_CODE)code} ({code})" : $"error code {code}";
}

/// <summary>
/// The SDK is missing, the wrong version, or reported an error. An IOException, so the CLI prints
/// its message as one line and exits 1 (see CommandRunner).
/// </summary>
public sealed class ZedSdkException(string message) : IOException(message);

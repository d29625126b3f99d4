using System.Runtime.InteropServices;

namespace DistDepth.Capture.Zed;

/// <summary>
/// The ZED SDK C API (<c>libsl_zed_c.so</c>) resolved at run time, so that a machine without the SDK
/// gets one sentence saying what to install instead of a DllNotFoundException trace, and so that a
/// non-standard install (or a stand-in library in tests) can be named with <c>--zed-library</c>.
/// </summary>
public sealed unsafe class ZedApi
{
    /// <summary>The SDK major.minor whose C header the struct layouts in ZedNativeTypes.cs follow.</summary>
    public static readonly Version SupportedVersion = new(5, 5);
    public const string LibraryFile = "libsl_zed_c.so";
    public const string DefaultDirectory = "/usr/local/zed/lib";

    static readonly string InstallHint =
        $"install the ZED SDK {SupportedVersion.ToString(2)} (https://www.stereolabs.com/developers/release) and its C API " +
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

    ZedApi(string path, nint handle)
    {
        Path = path;
        nint Export(string name) => NativeLibrary.TryGetExport(handle, name, out var f) ? f
            : throw new ZedSdkException($"{path} does not export {name}: it is not the ZED C API of SDK {SupportedVersion.ToString(2)}; {InstallHint}");

        var version = (delegate* unmanaged[Cdecl]<byte*>)Export("sl_get_sdk_version");
        var text = Marshal.PtrToStringUTF8((nint)version()) ?? "";
        SdkVersion = ParseVersion(text)
            ?? throw new ZedSdkException($"{path}: sl_get_sdk_version returned '{text}', not a version number");
        // Struct layouts differ between SDK releases; a mismatch would corrupt memory, not fail cleanly.
        if (SdkVersion.Major != SupportedVersion.Major || SdkVersion.Minor != SupportedVersion.Minor)
            throw new ZedSdkException($"{path} is ZED SDK {text}, but these bindings follow the C API layouts of SDK {SupportedVersion.ToString(2)}; " +
                InstallHint);

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
    /// </summary>
    public static ZedApi Load(string? libraryPath = null)
    {
        if (libraryPath is not null)
        {
            if (!File.Exists(libraryPath))
                throw new ZedSdkException($"--zed-library {libraryPath}: no such file");
            return new ZedApi(libraryPath, LoadOrExplain(libraryPath));
        }
        var standard = System.IO.Path.Combine(DefaultDirectory, LibraryFile);
        if (File.Exists(standard)) return new ZedApi(standard, LoadOrExplain(standard));
        if (NativeLibrary.TryLoad(LibraryFile, out var handle)) return new ZedApi(LibraryFile, handle);
        throw new ZedSdkException($"the ZED SDK C API ({LibraryFile}) is not installed: not in {DefaultDirectory} nor on the library search path; " +
            InstallHint);
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

    /// <summary>Throws a <see cref="ZedSdkException"/> naming the call and the SDK's error code.</summary>
    internal static void Check(int code, string call)
    {
        if (code != (int)SL_ERROR_CODE.SUCCESS)
            throw new ZedSdkException($"{call} failed: {Describe(code)}");
    }

    internal static string Describe(int code) =>
        Enum.IsDefined(typeof(SL_ERROR_CODE), code) ? $"{(SL_ERROR_CODE)code} ({code})" : $"error code {code}";
}

/// <summary>
/// The SDK is missing, the wrong version, or reported an error. An IOException, so the CLI prints
/// its message as one line and exits 1 (see CommandRunner).
/// </summary>
public sealed class ZedSdkException(string message) : IOException(message);

namespace DistDepth.Capture.Zed;

/// <summary>How to open a ZED through its SDK: a live camera (by id or serial) or an SVO recording.</summary>
public sealed record ZedSdkOptions
{
    /// <summary>libsl_zed_c.so to load instead of searching /usr/local/zed/lib and the loader path.</summary>
    public string? LibraryPath { get; init; }
    /// <summary>Load a 5.x newer than <see cref="ZedApi.VerifiedVersions"/>, trusting its struct layouts to be unchanged.</summary>
    public bool AllowNewerSdk { get; init; }
    /// <summary>The C API's camera slot, 0 to <see cref="ZedApi.CameraSlots"/> - 1, also the device to open.</summary>
    public int CameraId { get; init; }
    /// <summary>0 = whichever camera has <see cref="CameraId"/>.</summary>
    public uint Serial { get; init; }
    /// <summary>Play back this SVO file instead of a live camera.</summary>
    public string? SvoPath { get; init; }
    /// <summary>Also record what is grabbed to this SVO file.</summary>
    public string? RecordSvoPath { get; init; }
    public ZedResolution Resolution { get; init; } = ZedResolution.HD720;
    public int Fps { get; init; } = 30;
    public SL_DEPTH_MODE DepthMode { get; init; } = SL_DEPTH_MODE.NEURAL;
    /// <summary>Where the SDK's warnings go (negative codes, a newer SDK, skipped frames); one line each.</summary>
    public Action<string> Warn { get; init; } = _ => { };
}

using DistDepth.Dataset;

namespace DistDepth.Capture;

/// <summary>The rectified pair a source delivers: pinhole intrinsics of the left view and the baseline.</summary>
public sealed record StereoCamera(int Width, int Height, CameraIntrinsics Intrinsics, float BaselineM);

/// <summary>
/// One rectified stereo pair. Depth (metres, left view) and pose (camera-to-world 3x4, habitat-sim axes)
/// exist only where the source measures them (the ZED SDK); elsewhere they are null.
/// </summary>
public sealed record StereoPair(RgbImage Left, RgbImage Right, long TimestampNs)
{
    public DepthMap? Depth { get; init; }
    public float[]? Pose { get; init; }
    /// <summary>Frames the source dropped as corrupted since the previous pair (the ZED SDK's validity check).</summary>
    public int CorruptedFramesBefore { get; init; }
}

/// <summary>A camera or recording that yields rectified stereo pairs.</summary>
public interface IStereoSource : IDisposable
{
    StereoCamera Camera { get; }

    /// <summary>Live sources cannot replay frames; recordings can, so a resumed import skips what is done.</summary>
    bool IsLive { get; }

    /// <summary>A short description stored in each frame's meta_json (device, file, calibration).</summary>
    string Description { get; }

    /// <summary>The next pair, or null at the end of a recording.</summary>
    StereoPair? Read();

    /// <summary>Advances a recording by <paramref name="frames"/> without decoding more than needed; false if it ended first.</summary>
    bool Skip(int frames);
}

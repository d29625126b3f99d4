using OpenCvSharp;

namespace DistDepth.Capture;

/// <summary>
/// A ZED without its SDK: the camera is a UVC device (V4L2) streaming side-by-side, unrectified frames;
/// the factory calibration file rectifies them (what zed-open-capture does).
/// </summary>
public sealed class UvcStereoSource : SideBySideVideoSource
{
    public UvcStereoSource(int device, ZedResolution resolution, int fps, ZedCalibration calibration, OutputSize? output = null)
        : base(OpenDevice(device, resolution, fps), calibration, output,
               $"ZED UVC /dev/video{device} {resolution.Name}@{fps}, calibration {Path.GetFileName(calibration.Path)}")
    {
    }

    public override bool IsLive => true;

    protected override long Timestamp() => (DateTime.UtcNow - DateTime.UnixEpoch).Ticks * 100;

    static VideoCapture OpenDevice(int device, ZedResolution resolution, int fps)
    {
        resolution.CheckFps(fps);
        var capture = new VideoCapture(device, VideoCaptureAPIs.V4L2);
        if (!capture.IsOpened())
        {
            capture.Dispose();
            throw new IOException($"/dev/video{device}: cannot open the camera (is a ZED plugged in, and is this user in the 'video' group?)");
        }
        capture.Set(VideoCaptureProperties.FrameWidth, resolution.Width * 2);
        capture.Set(VideoCaptureProperties.FrameHeight, resolution.Height);
        capture.Set(VideoCaptureProperties.Fps, fps);
        if (capture.FrameWidth != resolution.Width * 2 || capture.FrameHeight != resolution.Height)
        {
            var got = $"{capture.FrameWidth}x{capture.FrameHeight}";
            capture.Dispose();
            throw new IOException($"/dev/video{device} delivers {got}, not the {resolution.Width * 2}x{resolution.Height} side-by-side stream of a ZED in {resolution.Name}");
        }
        return capture;
    }
}

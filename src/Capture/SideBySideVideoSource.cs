using OpenCvSharp;

namespace DistDepth.Capture;

/// <summary>
/// A side-by-side left|right stream read with OpenCV: a recorded video (import) or, in
/// <see cref="UvcStereoSource"/>, the ZED's own UVC stream. Each frame is split in half and rectified.
/// </summary>
public class SideBySideVideoSource : RectifyingSource
{
    readonly VideoCapture capture;
    readonly string description;

    public SideBySideVideoSource(string videoPath, ZedCalibration calibration, OutputSize? output = null)
        : this(OpenFile(videoPath), calibration, output, $"video {Path.GetFileName(videoPath)}, calibration {Path.GetFileName(calibration.Path)}")
    {
    }

    protected SideBySideVideoSource(VideoCapture capture, ZedCalibration calibration, OutputSize? output, string description)
        : base(CalibrationFor(capture, calibration, description), output)
    {
        this.capture = capture;
        this.description = description;
    }

    public override bool IsLive => false;
    public override string Description => description;

    static VideoCapture OpenFile(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: video not found", path);
        var capture = new VideoCapture(path, VideoCaptureAPIs.FFMPEG);
        if (!capture.IsOpened())
        {
            capture.Dispose();
            throw new InvalidDataException($"{path}: OpenCV cannot decode this video");
        }
        return capture;
    }

    // The stream's size picks the calibration: a side-by-side frame is two eyes wide.
    static StereoCalibration CalibrationFor(VideoCapture capture, ZedCalibration calibration, string description)
    {
        int width = capture.FrameWidth, height = capture.FrameHeight;
        if (width % 2 != 0)
        {
            capture.Dispose();
            throw new InvalidDataException($"{description}: {width}x{height} frames cannot be split into left|right halves");
        }
        try
        {
            return calibration.ForSize(width / 2, height);
        }
        catch
        {
            capture.Dispose();
            throw;
        }
    }

    protected virtual long Timestamp() => (long)(capture.Get(VideoCaptureProperties.PosMsec) * 1e6);

    protected override (Mat Left, Mat Right, long TimestampNs)? ReadRaw()
    {
        using var frame = new Mat();
        if (!capture.Read(frame) || frame.Empty()) return null;
        long timestamp = Timestamp();
        int half = frame.Width / 2;
        return (new Mat(frame, new Rect(0, 0, half, frame.Height)).Clone(), new Mat(frame, new Rect(half, 0, half, frame.Height)).Clone(), timestamp);
    }

    public override bool Skip(int frames)
    {
        for (int i = 0; i < frames; i++)
            if (!capture.Grab()) return false;
        return true;
    }

    public override void Dispose()
    {
        capture.Dispose();
        base.Dispose();
    }
}

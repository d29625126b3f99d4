using OpenCvSharp;

namespace DistDepth.Capture;

/// <summary>
/// A source of raw (distorted, unrectified) pairs with a ZED factory calibration: rectifies each pair
/// and applies the optional training size. Subclasses only fetch raw frames.
/// </summary>
public abstract class RectifyingSource : IStereoSource
{
    readonly StereoRectifier rectifier;
    readonly OutputSize? output;

    protected RectifyingSource(StereoCalibration calibration, OutputSize? output)
    {
        rectifier = new StereoRectifier(calibration);
        this.output = output;
        Camera = output?.Apply(rectifier.Camera) ?? rectifier.Camera;
    }

    public StereoCamera Camera { get; }
    public StereoRectifier Rectifier => rectifier;
    public abstract bool IsLive { get; }
    public abstract string Description { get; }

    /// <summary>The next raw pair (BGR, one eye each, calibration size) and its timestamp, or null at the end.</summary>
    protected abstract (Mat Left, Mat Right, long TimestampNs)? ReadRaw();

    public abstract bool Skip(int frames);

    public StereoPair? Read()
    {
        if (ReadRaw() is not var (rawLeft, rawRight, timestamp)) return null;
        using (rawLeft)
        using (rawRight)
        {
            var (left, right) = rectifier.Rectify(rawLeft, rawRight);
            using (left)
            using (right)
            {
                if (output is null) return new StereoPair(MatImages.ToRgb(left), MatImages.ToRgb(right), timestamp);
                using var l = output.Apply(left);
                using var r = output.Apply(right);
                return new StereoPair(MatImages.ToRgb(l), MatImages.ToRgb(r), timestamp);
            }
        }
    }

    public virtual void Dispose()
    {
        rectifier.Dispose();
        GC.SuppressFinalize(this);
    }
}

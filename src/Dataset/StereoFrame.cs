namespace DistDepth.Dataset;

/// <summary>Where a frame came from; stored lower-case in the <c>source</c> column (RealRgbd: a benchmark's RGB-D frames, no right image).</summary>
public enum FrameSource { Sim, Zed, Import, RealRgbd }

/// <summary>Pinhole intrinsics of the (rectified) left camera, in pixels.</summary>
public readonly record struct CameraIntrinsics(float Fx, float Fy, float Cx, float Cy);

/// <summary>
/// One dataset row: a rectified stereo pair with its calibration and pose. Images stay encoded
/// (PNG) as they are stored; <see cref="ImageCodec"/> decodes them. Depth and Expert may be null:
/// real captures have no ground-truth depth and the expert column is filled by a later stage.
/// </summary>
public sealed record StereoFrame
{
    // Identity columns are stamped by SequenceWriter; producers may leave them empty.
    public string DatasetId { get; init; } = "";
    public string SceneId { get; init; } = "";
    public string SequenceId { get; init; } = "";
    public required int FrameIndex { get; init; }
    public long TimestampNs { get; init; }
    public FrameSource Source { get; init; }
    public required byte[] Left { get; init; }
    public byte[]? Right { get; init; }
    /// <summary>16-bit PNG, millimetres, 0 = invalid.</summary>
    public byte[]? Depth { get; init; }
    /// <summary>16-bit PNG of the expert's relative inverse depth.</summary>
    public byte[]? Expert { get; init; }
    public required int Width { get; init; }
    public required int Height { get; init; }
    public required CameraIntrinsics Intrinsics { get; init; }
    public required float BaselineM { get; init; }
    /// <summary>Camera-to-world 3x4, row-major, left camera (habitat-sim axes: y up, looking down -z).</summary>
    public required float[] Pose { get; init; }
    public string MetaJson { get; init; } = "{}";

    public long ImageBytes => Left.Length + (Right?.Length ?? 0) + (Depth?.Length ?? 0) + (Expert?.Length ?? 0);
}

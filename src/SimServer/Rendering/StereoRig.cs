using System.Numerics;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Rendering;

/// <summary>Pinhole intrinsics with habitat-sim's convention (square pixels, centred principal point).</summary>
public readonly record struct Intrinsics(int Width, int Height, float Fx, float Fy, float Cx, float Cy)
{
    public static Intrinsics FromHfov(int width, int height, float hfovDeg)
    {
        var f = (float)(width / 2.0 / Math.Tan(hfovDeg * Math.PI / 360.0));
        return new Intrinsics(width, height, f, f, width / 2f, height / 2f);
    }
}

[Flags]
public enum RigOutputs
{
    RgbLeft = 1,
    RgbRight = 2,
    DepthLeft = 4,
    DepthRight = 8,
    All = RgbLeft | RgbRight | DepthLeft | DepthRight,
}

/// <summary>Two identical pinhole cameras; the right one sits <see cref="BaselineM"/> along the left's +x.</summary>
public sealed record StereoRig(float BaselineM, int Width, int Height, float HfovDeg, float CameraHeightM,
                               RigOutputs Outputs, float ExposureJitter, Vector3 MountRotationRad = default)
{
    public const int MaxSize = 4096;
    /// <summary>Beyond these a pinhole is degenerate: fx tends to infinity or to zero.</summary>
    public const float MinHfovDeg = 1, MaxHfovDeg = 179;

    /// <summary>SimSIN's rig: 13.12 cm baseline, 512x512, 90 degrees, habitat's 1.5 m sensor height.</summary>
    public static StereoRig SimSin { get; } = new(0.1312f, 512, 512, 90f, 1.5f, RigOutputs.All, 0f);

    public Intrinsics Intrinsics => Intrinsics.FromHfov(Width, Height, HfovDeg);

    /// <summary>The rig's orientation on the head: x (pitch) first, then y (yaw), then z (roll).</summary>
    public Quaternion Mount => Quaternion.CreateFromAxisAngle(Vector3.UnitZ, MountRotationRad.Z) *
                               Quaternion.CreateFromAxisAngle(Vector3.UnitY, MountRotationRad.Y) *
                               Quaternion.CreateFromAxisAngle(Vector3.UnitX, MountRotationRad.X);

    /// <summary>The left camera's pose for a head (unrotated camera) pose.</summary>
    public RigidPose LeftCamera(RigidPose head) => head with { Rotation = Quaternion.Normalize(head.Rotation * Mount) };

    public RigidPose RightCamera(RigidPose left) => left with { Position = left.TransformPoint(new Vector3(BaselineM, 0, 0)) };

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad field and the accepted range.</summary>
    public void Validate()
    {
        if (Width <= 0 || Height <= 0 || Width > MaxSize || Height > MaxSize)
            throw new ArgumentException($"rig size {Width}x{Height} is invalid: width and height must be 1..{MaxSize} pixels");
        if (!(BaselineM > 0 && BaselineM <= 10))
            throw new ArgumentException($"rig baseline {BaselineM} m is invalid: it must be > 0 and <= 10 m (SimSIN uses 0.1312)");
        if (!(HfovDeg >= MinHfovDeg && HfovDeg <= MaxHfovDeg))
            throw new ArgumentException($"rig hfov_deg {HfovDeg} is invalid: it must be {MinHfovDeg}..{MaxHfovDeg} degrees");
        if (!(CameraHeightM >= 0 && CameraHeightM <= 10))
            throw new ArgumentException($"rig camera height {CameraHeightM} m is invalid: it must be 0..10 m above the floor");
        if (!(ExposureJitter >= 0 && ExposureJitter <= 1))
            throw new ArgumentException($"rig exposure jitter {ExposureJitter} is invalid: it is a gain std-dev in 0..1");
        if (!(MathF.Abs(MountRotationRad.X) <= MathF.PI / 2 && MathF.Abs(MountRotationRad.Y) <= MathF.PI / 2 && MathF.Abs(MountRotationRad.Z) <= MathF.PI / 2))
            throw new ArgumentException($"rig mount rotation {MountRotationRad} rad is invalid: each angle must be within +-pi/2 (SimSIN uses +-0.4)");
        if (Outputs == 0) throw new ArgumentException("rig outputs are empty: ask for at least one of RGB/depth left/right");
    }
}

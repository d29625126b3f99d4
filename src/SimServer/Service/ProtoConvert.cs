using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using DistDepth.Sim.V1;
using DistDepth.SimServer.Geometry;
using DistDepth.SimServer.Rendering;
using Google.Protobuf;
using Grpc.Core;
using ProtoRig = DistDepth.Sim.V1.StereoRig;
using StereoRig = DistDepth.SimServer.Rendering.StereoRig;

namespace DistDepth.SimServer.Service;

/// <summary>Between the protocol's messages and the domain types.</summary>
public static class ProtoConvert
{
    public static Vec3 ToProto(this Vector3 v) => new() { X = v.X, Y = v.Y, Z = v.Z };

    public static Vector3 ToVector3(this Vec3? v) => v == null ? Vector3.Zero : new Vector3(v.X, v.Y, v.Z);

    public static Pose ToProto(this RigidPose p) =>
        new() { Position = p.Position.ToProto(), Rotation = new Quat { W = p.Rotation.W, X = p.Rotation.X, Y = p.Rotation.Y, Z = p.Rotation.Z } };

    /// <summary>How far from the origin a position may be: 10 km holds any building, and keeps float
    /// arithmetic on the grid and in the renderer meaningful.</summary>
    public const float MaxCoordinateM = 1e4f;

    /// <summary>The point, if every coordinate is finite and within <see cref="MaxCoordinateM"/>; else
    /// INVALID_ARGUMENT naming <paramref name="field"/>.</summary>
    public static Vector3 ToBoundedVector3(this Vec3? v, string field)
    {
        var p = v.ToVector3();
        if (!(MathF.Abs(p.X) <= MaxCoordinateM && MathF.Abs(p.Y) <= MaxCoordinateM && MathF.Abs(p.Z) <= MaxCoordinateM))
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"{field} {p} is invalid: each coordinate must be finite and within +-{MaxCoordinateM:0} m"));
        return p;
    }

    public static RigidPose ToRigidPose(this Pose? p, string field)
    {
        if (p?.Rotation == null) throw new RpcException(new Status(StatusCode.InvalidArgument, $"{field} needs a position and a rotation quaternion (w, x, y, z)"));
        var q = new Quaternion(p.Rotation.X, p.Rotation.Y, p.Rotation.Z, p.Rotation.W);
        var length = q.Length();
        if (!float.IsFinite(length) || length < 1e-6f)
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"{field}.rotation must be a finite, non-zero quaternion (w, x, y, z)"));
        return new RigidPose(p.Position.ToBoundedVector3($"{field}.position"), Quaternion.Normalize(q));
    }

    public static ProtoRig ToProto(this StereoRig rig)
    {
        var proto = new ProtoRig
        {
            BaselineM = rig.BaselineM, Width = rig.Width, Height = rig.Height, HfovDeg = rig.HfovDeg,
            CameraHeightM = rig.CameraHeightM, ExposureJitter = rig.ExposureJitter,
            MountRotationRad = rig.MountRotationRad.ToProto(),
        };
        foreach (var (flag, output) in OutputMap)
            if (rig.Outputs.HasFlag(flag)) proto.Outputs.Add(output);
        return proto;
    }

    /// <summary>Applies the fields set in <paramref name="update"/> on top of <paramref name="current"/>.</summary>
    public static StereoRig Merge(this StereoRig current, ProtoRig? update)
    {
        if (update == null) return current;
        var outputs = update.Outputs.Count == 0 ? current.Outputs
            : update.Outputs.Aggregate((RigOutputs)0, (acc, o) => acc | OutputMap.FirstOrDefault(m => m.Output == o).Flag);
        return new StereoRig(
            update.HasBaselineM ? update.BaselineM : current.BaselineM,
            update.HasWidth ? update.Width : current.Width,
            update.HasHeight ? update.Height : current.Height,
            update.HasHfovDeg ? update.HfovDeg : current.HfovDeg,
            update.HasCameraHeightM ? update.CameraHeightM : current.CameraHeightM,
            outputs,
            update.HasExposureJitter ? update.ExposureJitter : current.ExposureJitter,
            update.MountRotationRad != null ? update.MountRotationRad.ToVector3() : current.MountRotationRad);
    }

    private static readonly (RigOutputs Flag, Output Output)[] OutputMap =
    [
        (RigOutputs.RgbLeft, Output.RgbLeft), (RigOutputs.RgbRight, Output.RgbRight),
        (RigOutputs.DepthLeft, Output.DepthLeft), (RigOutputs.DepthRight, Output.DepthRight),
    ];

    public static Sim.V1.Intrinsics ToProto(this Rendering.Intrinsics k) =>
        new() { Width = k.Width, Height = k.Height, Fx = k.Fx, Fy = k.Fy, Cx = k.Cx, Cy = k.Cy };

    public static Frame ToFrame(this StereoImages images, StereoRig rig, RigidPose leftCamera, int index, bool collided, float gain) => new()
    {
        Index = index,
        LeftCamera = leftCamera.ToProto(),
        Intrinsics = rig.Intrinsics.ToProto(),
        BaselineM = rig.BaselineM,
        Collided = collided,
        ExposureGain = gain,
        // The arrays are fresh per frame and never touched again, so they are wrapped, not copied.
        RgbLeft = Wrap(images.RgbLeft),
        RgbRight = Wrap(images.RgbRight),
        DepthLeft = Wrap(images.DepthLeft),
        DepthRight = Wrap(images.DepthRight),
    };

    private static ByteString Wrap(byte[]? data) => data == null ? ByteString.Empty : UnsafeByteOperations.UnsafeWrap(data);

    private static ByteString Wrap(float[]? data)
    {
        if (data == null) return ByteString.Empty;
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("depth is sent little-endian");
        return UnsafeByteOperations.UnsafeWrap(new FloatBytes(data).Memory);
    }

    /// <summary>A float[]'s bytes as Memory&lt;byte&gt;, so a depth map goes on the wire without a copy.</summary>
    private sealed class FloatBytes(float[] data) : MemoryManager<byte>
    {
        public override Span<byte> GetSpan() => MemoryMarshal.AsBytes(data.AsSpan());

        public override MemoryHandle Pin(int elementIndex = 0)
        {
            var handle = GCHandle.Alloc(data, GCHandleType.Pinned);
            unsafe { return new MemoryHandle((byte*)handle.AddrOfPinnedObject() + elementIndex, handle); }
        }

        public override void Unpin() { }

        protected override void Dispose(bool disposing) { }
    }
}

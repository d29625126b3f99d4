using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using DistDepth.Dataset;
using DistDepth.Sim.V1;
using DistDepth.SimServer.Service;

namespace DistDepth.SimBridge;

/// <summary>A streamed simulator frame -> a dataset row: the sequence's camera model and RGB noise applied,
/// images PNG-encoded, pose as 3x4.</summary>
public static class FrameConverter
{
    /// <summary>Reads the images where they arrived (see <see cref="ReceivedFrame"/>) and copies nothing
    /// it does not change: the noisy RGB and the millimetre depth are the only copies before encoding.
    /// <paramref name="camera"/> is the sequence's (<see cref="CameraModel"/>), null for the renderer's image as it is.</summary>
    public static StereoFrame ToStereoFrame(ReceivedFrame received, SequenceJob job, SimGenOptions options, string serverName, CameraModel? camera = null)
    {
        var frame = received.Frame;
        var k = frame.Intrinsics;
        int w = k.Width, h = k.Height;
        ulong noiseSeed = job.Seed ^ ((ulong)frame.Index + 1) * 0x9E3779B97F4A7C15UL;
        // The seed is a string: a uint64 above 2^53 read by JavaScript's JSON.parse comes back changed.
        var meta = new JsonObject
        {
            ["generator"] = "simgen", ["server"] = serverName, ["scene"] = job.SceneId, ["seed"] = job.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["trajectory_mode"] = job.Mode.ToString(), ["planted_failure"] = job.Mode != TrajectoryMode.Navigate,
            ["collided"] = frame.Collided, ["camera_height_m"] = job.CameraHeightM, ["exposure_gain"] = frame.ExposureGain,
            ["mount_rotation_rad"] = new JsonArray(job.MountRotationRad.Pitch, job.MountRotationRad.Yaw, job.MountRotationRad.Roll),
            ["rgb_noise"] = options.RgbNoise,
        };
        if (camera != null) meta["camera"] = camera.Describe();
        return new StereoFrame
        {
            FrameIndex = frame.Index,
            TimestampNs = frame.Index * 100_000_000L, // simulated time: 10 frames/s
            Source = FrameSource.Sim,
            Left = ImageCodec.EncodeRgb(Noisy(received.RgbLeft.Span, w, h, camera, options.RgbNoise, noiseSeed)),
            Right = received.RgbRight.IsEmpty ? null : ImageCodec.EncodeRgb(Noisy(received.RgbRight.Span, w, h, camera, options.RgbNoise, ~noiseSeed)),
            Depth = received.DepthLeft.IsEmpty ? null : ImageCodec.EncodeDepth(MemoryMarshal.Cast<byte, float>(received.DepthLeft.Span), w, h),
            Width = w, Height = h,
            Intrinsics = new CameraIntrinsics(k.Fx, k.Fy, k.Cx, k.Cy),
            BaselineM = frame.BaselineM,
            Pose = PoseMatrix(frame.LeftCamera),
            MetaJson = meta.ToJsonString(),
        };
    }

    static RgbImage Noisy(ReadOnlySpan<byte> rgb, int w, int h, CameraModel? camera, float sigma, ulong seed)
    {
        if (rgb.Length != w * h * 3) throw new InvalidDataException($"frame RGB has {rgb.Length} bytes, expected {w}x{h}x3");
        var pixels = GC.AllocateUninitializedArray<byte>(rgb.Length);
        if (camera != null)
        {
            // Light reaches the sensor through the lens and exposure first; noise is the sensor's own.
            camera.Apply(rgb, pixels);
            if (sigma > 0) GaussianNoise.Add(pixels, pixels, 255f * sigma, seed);
        }
        else if (sigma > 0) GaussianNoise.Add(rgb, pixels, 255f * sigma, seed);
        else rgb.CopyTo(pixels);
        return new RgbImage(w, h, pixels);
    }

    /// <summary>Camera-to-world 3x4, row-major, from habitat's (w, x, y, z) quaternion and position.</summary>
    public static float[] PoseMatrix(Pose pose)
    {
        var q = System.Numerics.Quaternion.Normalize(new(pose.Rotation.X, pose.Rotation.Y, pose.Rotation.Z, pose.Rotation.W));
        var r = System.Numerics.Matrix4x4.CreateFromQuaternion(q); // row-vector convention: R^T in rows
        var p = pose.Position;
        return [r.M11, r.M21, r.M31, p.X, r.M12, r.M22, r.M32, p.Y, r.M13, r.M23, r.M33, p.Z];
    }
}

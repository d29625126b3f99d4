using System.Text;
using DistDepth.Dataset;

namespace DistDepth.TrainingCore.Evaluation;

/// <summary>Binary little-endian PLY of coloured points, in the camera frame (x right, y down, z forward, metres).</summary>
public static class PointCloud
{
    public static byte[] Ply(DepthMap depth, RgbImage colour, CameraIntrinsics k)
    {
        if (colour.Width != depth.Width || colour.Height != depth.Height)
            throw new ArgumentException($"colour is {colour.Width}x{colour.Height}, depth {depth.Width}x{depth.Height}");
        int count = depth.Metres.Count(m => m > 0 && float.IsFinite(m));
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.ASCII, leaveOpen: true))
        {
            writer.Write(Encoding.ASCII.GetBytes(
                $"ply\nformat binary_little_endian 1.0\nelement vertex {count}\nproperty float x\nproperty float y\nproperty float z\n" +
                "property uchar red\nproperty uchar green\nproperty uchar blue\nend_header\n"));
            for (int v = 0; v < depth.Height; v++)
            for (int u = 0; u < depth.Width; u++)
            {
                int i = v * depth.Width + u;
                float z = depth.Metres[i];
                if (!(z > 0 && float.IsFinite(z))) continue;
                writer.Write((u - k.Cx) * z / k.Fx);
                writer.Write((v - k.Cy) * z / k.Fy);
                writer.Write(z);
                writer.Write(colour.Pixels.AsSpan(3 * i, 3));
            }
        }
        return stream.ToArray();
    }

    /// <summary>A pinhole camera from its horizontal field of view, principal point at the centre, square pixels.</summary>
    public static CameraIntrinsics FromHfov(int width, int height, double hfovDegrees)
    {
        float f = (float)(width / 2.0 / Math.Tan(hfovDegrees * Math.PI / 360));
        return new CameraIntrinsics(f, f, (width - 1) / 2f, (height - 1) / 2f);
    }
}

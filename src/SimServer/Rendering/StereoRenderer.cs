using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Rendering;

/// <summary>Raw outputs of one stereo render; views not asked for are null.</summary>
public sealed record StereoImages(byte[]? RgbLeft, byte[]? RgbRight, float[]? DepthLeft, float[]? DepthRight);

/// <summary>Renders both views of a <see cref="StereoRig"/>, each with its own rasterizer so the
/// two views overlap their serial phases on separate cores.</summary>
public sealed class StereoRenderer(StereoRig rig)
{
    private readonly Rasterizer _left = new(rig.Width, rig.Height);
    private readonly Rasterizer _right = new(rig.Width, rig.Height);

    public StereoRig Rig => rig;

    public StereoImages Render(SceneMesh mesh, RigidPose leftCamera, float gain = 1f)
    {
        var k = rig.Intrinsics;
        var pixels = rig.Width * rig.Height;
        byte[]? Rgb(RigOutputs o) => rig.Outputs.HasFlag(o) ? new byte[pixels * 3] : null;
        float[]? Depth(RigOutputs o) => rig.Outputs.HasFlag(o) ? new float[pixels] : null;
        var images = new StereoImages(Rgb(RigOutputs.RgbLeft), Rgb(RigOutputs.RgbRight), Depth(RigOutputs.DepthLeft), Depth(RigOutputs.DepthRight));
        var wantLeft = images.RgbLeft != null || images.DepthLeft != null;
        var wantRight = images.RgbRight != null || images.DepthRight != null;
        Parallel.Invoke(
            () => { if (wantLeft) _left.Render(mesh, k, leftCamera, images.RgbLeft, images.DepthLeft, gain); },
            () => { if (wantRight) _right.Render(mesh, k, rig.RightCamera(leftCamera), images.RgbRight, images.DepthRight, gain); });
        return images;
    }
}

using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Rendering;

/// <summary>Raw outputs of one stereo render; views not asked for are null.</summary>
public sealed record StereoImages(byte[]? RgbLeft, byte[]? RgbRight, float[]? DepthLeft, float[]? DepthRight)
{
    public static readonly StereoImages None = new(null, null, null, null);
}

/// <summary>Where a render writes: RGB H*W*3 and depth H*W per view; empty = not wanted.</summary>
public readonly record struct StereoTargets(Memory<byte> RgbLeft, Memory<byte> RgbRight, Memory<float> DepthLeft, Memory<float> DepthRight);

/// <summary>Renders both views of a <see cref="StereoRig"/>, each with its own rasterizer: the two
/// views set up side by side, then one parallel loop runs the bands of both (visibility and
/// shading per band), so no core waits for the other view's stragglers.</summary>
public sealed class StereoRenderer(StereoRig rig)
{
    private readonly Rasterizer _left = new(rig.Width, rig.Height);
    private readonly Rasterizer _right = new(rig.Width, rig.Height);

    public StereoRig Rig => rig;

    public StereoImages Render(SceneMesh mesh, RigidPose leftCamera, float gain = 1f)
    {
        var pixels = rig.Width * rig.Height;
        // Every pixel is written: no need for the runtime to zero the buffers first.
        byte[]? Rgb(RigOutputs o) => rig.Outputs.HasFlag(o) ? GC.AllocateUninitializedArray<byte>(pixels * 3) : null;
        float[]? Depth(RigOutputs o) => rig.Outputs.HasFlag(o) ? GC.AllocateUninitializedArray<float>(pixels) : null;
        var images = new StereoImages(Rgb(RigOutputs.RgbLeft), Rgb(RigOutputs.RgbRight), Depth(RigOutputs.DepthLeft), Depth(RigOutputs.DepthRight));
        RenderInto(mesh, leftCamera, new StereoTargets(images.RgbLeft, images.RgbRight, images.DepthLeft, images.DepthRight), gain);
        return images;
    }

    /// <summary>Renders into memory the caller owns (a shared-memory slot); an empty target is not rendered.</summary>
    public void RenderInto(SceneMesh mesh, RigidPose leftCamera, StereoTargets targets, float gain = 1f)
    {
        var k = rig.Intrinsics;
        var pixels = rig.Width * rig.Height;
        bool Fits(int length, int wanted) => length == 0 || length == wanted;
        if (!Fits(targets.RgbLeft.Length, 3 * pixels) || !Fits(targets.RgbRight.Length, 3 * pixels)
            || !Fits(targets.DepthLeft.Length, pixels) || !Fits(targets.DepthRight.Length, pixels))
            throw new ArgumentException($"render targets do not fit a {rig.Width}x{rig.Height} rig");
        var wantLeft = !targets.RgbLeft.IsEmpty || !targets.DepthLeft.IsEmpty;
        var wantRight = !targets.RgbRight.IsEmpty || !targets.DepthRight.IsEmpty;
        var right = rig.RightCamera(leftCamera);
        if (wantLeft && wantRight) Parallel.Invoke(() => _left.Prepare(mesh, k, leftCamera), () => _right.Prepare(mesh, k, right));
        else if (wantLeft) _left.Prepare(mesh, k, leftCamera);
        else if (wantRight) _right.Prepare(mesh, k, right);
        var bands = _left.BandCount;
        Parallel.For(0, 2 * bands, i =>
        {
            // Interleave the views so both finish together.
            var (view, band) = (i & 1, i >> 1);
            if (view == 0 && wantLeft) _left.RenderBand(band, mesh, k, targets.RgbLeft, targets.DepthLeft, gain);
            else if (view == 1 && wantRight) _right.RenderBand(band, mesh, k, targets.RgbRight, targets.DepthRight, gain);
        });
    }
}

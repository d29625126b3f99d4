using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Geometry;

/// <summary>4x4 camera motions [B,4,4] that map target-camera points into a source camera.</summary>
public static class RigidTransform
{
    /// <summary>
    /// PoseNet output to a matrix (monodepth2's transformation_from_parameters). PoseNet always
    /// sees (earlier, later), so for a previous-frame source the motion is inverted.
    /// </summary>
    public static Tensor FromAxisAngle(Tensor axisAngle, Tensor translation, bool invert)
    {
        var rotation = Rotation(axisAngle);
        if (!invert) return Translation(translation).matmul(rotation);
        return rotation.transpose(1, 2).matmul(Translation(-translation));
    }

    /// <summary>
    /// Left target to right source: the right camera sits baseline metres along +x, so points move
    /// by -B; a horizontally flipped sample swaps the views and the sign (+B).
    /// </summary>
    /// <param name="baseline">[B] metres.</param>
    /// <param name="flipped">[B] bool.</param>
    public static Tensor Stereo(Tensor baseline, Tensor flipped)
    {
        var tx = where(flipped, baseline, -baseline);
        return Translation(stack([tx, zeros_like(tx), zeros_like(tx)], 1));
    }

    static Tensor Translation(Tensor t)
    {
        var m = eye(4, dtype: t.dtype, device: t.device).repeat(t.shape[0], 1, 1);
        return m.index_put_(t, TensorIndex.Colon, TensorIndex.Slice(0, 3), TensorIndex.Single(3));
    }

    // Rodrigues' formula, written with stack so gradients flow to the axis-angle.
    static Tensor Rotation(Tensor axisAngle)
    {
        var angle = axisAngle.norm(1, keepdim: true);
        var axis = axisAngle / (angle + 1e-7);
        var ca = angle.cos().squeeze(1);
        var sa = angle.sin().squeeze(1);
        var c = 1 - ca;
        var (x, y, z) = (axis[.., 0], axis[.., 1], axis[.., 2]);
        var zero = zeros_like(x);
        var one = ones_like(x);
        var rows = new[]
        {
            x * x * c + ca, x * y * c - z * sa, z * x * c + y * sa, zero,
            x * y * c + z * sa, y * y * c + ca, y * z * c - x * sa, zero,
            z * x * c - y * sa, y * z * c + x * sa, z * z * c + ca, zero,
            zero, zero, zero, one,
        };
        return stack(rows, 1).view(-1, 4, 4);
    }
}

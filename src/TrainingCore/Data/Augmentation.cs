using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Data;

/// <summary>One frame's colour jitter (torchvision ColorJitter's factors); <see cref="None"/> leaves it as it is.</summary>
public readonly record struct ColourJitter(float Brightness, float Contrast, float Saturation, float Hue)
{
    public static ColourJitter None => new(1, 1, 1, 0);
}

/// <summary>What one training sample gets (METHOD.md, Training): a flip, and a jitter per network input frame.</summary>
public sealed record SampleAugmentation(bool Flip, ColourJitter Previous, ColourJitter Target, ColourJitter Next)
{
    public static SampleAugmentation None => new(false, ColourJitter.None, ColourJitter.None, ColourJitter.None);

    /// <summary>
    /// Flip p=0.5; jitter p=0.5, then brightness, contrast and saturation in [0.8, 1.2] and hue in
    /// [-0.3, 0.3], re-drawn for each frame as METHOD.md says.
    /// </summary>
    public static SampleAugmentation Draw(Random rng)
    {
        bool flip = rng.NextDouble() < 0.5, jitter = rng.NextDouble() < 0.5;
        ColourJitter Frame() => jitter
            ? new(Uniform(rng, 0.8f, 1.2f), Uniform(rng, 0.8f, 1.2f), Uniform(rng, 0.8f, 1.2f), Uniform(rng, -0.3f, 0.3f))
            : ColourJitter.None;
        return new SampleAugmentation(flip, Frame(), Frame(), Frame());
    }

    static float Uniform(Random rng, float lo, float hi) => lo + (hi - lo) * rng.NextSingle();
}

/// <summary>Colour jitter on a batch [B,3,H,W] in [0,1], one parameter set per sample.</summary>
public static class Augmentation
{
    static readonly float[] ToYiq = [0.299f, 0.587f, 0.114f, 0.596f, -0.274f, -0.322f, 0.211f, -0.523f, 0.312f];
    static readonly float[] FromYiq = [1f, 0.956f, 0.621f, 1f, -0.272f, -0.647f, 1f, -1.106f, 1.703f];

    /// <summary>
    /// Brightness, contrast, saturation, then hue (a fixed order; torchvision shuffles it). Hue is
    /// approximated by rotating chroma in YIQ space by hue * 360 degrees instead of torchvision's
    /// HSV round trip: close in effect and cheap on whole batches.
    /// Samples whose jitter is <see cref="ColourJitter.None"/> come back bit-identical.
    /// </summary>
    public static Tensor Jitter(Tensor images, IReadOnlyList<ColourJitter> jitters)
    {
        long b = images.shape[0];
        Tensor Param(Func<ColourJitter, float> f) => tensor(jitters.Select(f).ToArray()).view(b, 1, 1, 1);
        var x = (images * Param(j => j.Brightness)).clamp(0, 1);
        var mean = Grey(x).mean([1, 2, 3], keepdim: true);
        x = ((x - mean) * Param(j => j.Contrast) + mean).clamp(0, 1);
        var grey = Grey(x);
        x = (grey + (x - grey) * Param(j => j.Saturation)).clamp(0, 1);
        x = RotateHue(x, Param(j => j.Hue * 2 * MathF.PI)).clamp(0, 1);
        var jittered = tensor(jitters.Select(j => j != ColourJitter.None).ToArray()).view(b, 1, 1, 1);
        return where(jittered, x, images);
    }

    static Tensor Grey(Tensor rgb) => (rgb[.., 0..1] * 0.299f) + (rgb[.., 1..2] * 0.587f) + (rgb[.., 2..3] * 0.114f);

    static Tensor RotateHue(Tensor rgb, Tensor angle)
    {
        var yiq = einsum("ij,bjhw->bihw", tensor(ToYiq).view(3, 3), rgb);
        var (cos, sin) = (angle.cos(), angle.sin());
        var i = yiq[.., 1..2] * cos - yiq[.., 2..3] * sin;
        var q = yiq[.., 1..2] * sin + yiq[.., 2..3] * cos;
        return einsum("ij,bjhw->bihw", tensor(FromYiq).view(3, 3), cat([yiq[.., 0..1], i, q], 1));
    }
}

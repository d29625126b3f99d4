namespace DistDepth.TrainingCore.Expert;

/// <summary>What the model outputs: relative inverse depth (DPT, MiDaS, Depth Anything) or depth, stored inverted.</summary>
public enum ExpertOutputKind { InverseDepth, Depth }

/// <summary>
/// How a relative-depth model wants its input: a square RGB image of <see cref="InputSize"/> pixels
/// (a multiple of its patch size), normalised per channel as (x/255 - mean) / std (METHOD.md, Expert).
/// </summary>
public sealed record ExpertPreset(string Name, int InputSize, int Multiple, float[] Mean, float[] Std,
    ExpertOutputKind Output = ExpertOutputKind.InverseDepth)
{
    static readonly float[] Half = [0.5f, 0.5f, 0.5f];
    static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f], ImageNetStd = [0.229f, 0.224f, 0.225f];

    public static readonly IReadOnlyList<ExpertPreset> All =
    [
        new("dpt-hybrid", 384, 32, Half, Half),
        new("dpt-large", 384, 32, Half, Half),
        new("midas-small", 256, 32, ImageNetMean, ImageNetStd),
        // Depth Anything v1 and v2 share their preprocessing: ViT patches of 14 pixels.
        new("depth-anything", 518, 14, ImageNetMean, ImageNetStd),
    ];

    public static ExpertPreset Named(string name) =>
        All.FirstOrDefault(p => p.Name == name)
        ?? throw new ArgumentException($"--preset '{name}' is unknown; choose one of {string.Join(", ", All.Select(p => p.Name))}");

    public void Validate()
    {
        if (InputSize <= 0 || InputSize % Multiple != 0)
            throw new ArgumentException($"--input-size {InputSize}: preset {Name} needs a positive multiple of {Multiple}");
        if (Mean.Length != 3 || Std.Length != 3)
            throw new ArgumentException($"--mean and --std take 1 or 3 values (got {Mean.Length} and {Std.Length})");
        if (Std.Any(s => !(s > 0)))
            throw new ArgumentException($"--std values must be positive (got {string.Join(",", Std)})");
    }
}

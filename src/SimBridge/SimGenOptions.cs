namespace DistDepth.SimBridge;

/// <summary>Generation settings; the defaults are SimSIN's (METHOD.md).</summary>
public sealed record SimGenOptions
{
    public int SequencesPerScene { get; init; } = 5;
    public int Frames { get; init; } = 50;
    public int Width { get; init; } = 512;
    public int Height { get; init; } = 512;
    public float HfovDeg { get; init; } = 90f;
    /// <summary>Cameras at +-0.0656 m around the agent's centre line.</summary>
    public float BaselineM { get; init; } = 0.1312f;
    public float CameraHeightM { get; init; } = 1.3f;
    public float CameraHeightSpreadM { get; init; } = 0.2f;
    /// <summary>Per-sequence rig tilt: pitch, yaw and roll each uniform within +-this many radians.</summary>
    public float MountRotationMaxRad { get; init; } = 0.4f;
    /// <summary>Std-dev of additive Gaussian RGB noise as a fraction of full scale (habitat's sigma 0.1 x intensity 0.1).</summary>
    public float RgbNoise { get; init; } = 0.01f;
    public float ExposureJitter { get; init; }
    /// <summary>The per-sequence camera (exposure, white balance, vignetting, defocus); <see cref="CameraEffects.None"/>
    /// leaves the rendered image as it is.</summary>
    public CameraEffects Camera { get; init; } = new();
    /// <summary>Share of sequences that deliberately fail (wall, void), labelled in meta_json, for testing curation.</summary>
    public double FailingFraction { get; init; }
    public ulong Seed { get; init; }
    public int Workers { get; init; } = 1;
    public int MaxAttempts { get; init; } = 3;

    public void Validate()
    {
        if (SequencesPerScene < 1 || Frames < 1) throw new ArgumentException("--sequences-per-scene and --frames must be at least 1");
        if (Width < 8 || Height < 8) throw new ArgumentException($"--width/--height {Width}x{Height}: at least 8 pixels each");
        if (!(BaselineM > 0)) throw new ArgumentException($"--baseline {BaselineM} m must be positive");
        if (!(HfovDeg is >= 1 and <= 179)) throw new ArgumentException($"--hfov {HfovDeg} must be 1..179 degrees");
        if (CameraHeightSpreadM < 0 || CameraHeightM - CameraHeightSpreadM < 0) throw new ArgumentException("camera height minus its spread must stay above the floor");
        if (MountRotationMaxRad is < 0 or > MathF.PI / 2) throw new ArgumentException($"--mount-rotation {MountRotationMaxRad} rad must be in 0..pi/2");
        if (RgbNoise is < 0 or > 1) throw new ArgumentException($"--rgb-noise {RgbNoise} must be in 0..1");
        if (FailingFraction is < 0 or > 1) throw new ArgumentException($"--failing-fraction {FailingFraction} must be in 0..1");
        if (Workers < 1) throw new ArgumentException("--workers must be at least 1");
        Camera.Validate();
    }
}

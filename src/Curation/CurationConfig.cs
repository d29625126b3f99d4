using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace DistDepth.Curation;

/// <summary>
/// Every threshold curation uses, by name. Defaults live here and are documented, with reasons, in
/// curation.default.yaml (a test keeps the two equal). A config file overrides any subset of keys.
/// </summary>
public sealed record CurationConfig
{
    public FrameThresholds Frame { get; init; } = new();
    public SequenceThresholds Sequence { get; init; } = new();

    public const string DefaultFileName = "curation.default.yaml";

    public static string DefaultYaml()
    {
        using var stream = typeof(CurationConfig).Assembly.GetManifestResourceStream(DefaultFileName)!;
        return new StreamReader(stream).ReadToEnd();
    }

    /// <summary>Reads a config file strictly: an unknown key or a bad value is an error naming the key and the file.</summary>
    public static CurationConfig Load(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: curation config not found");
        return Parse(File.ReadAllText(path), path);
    }

    public static CurationConfig Parse(string yaml, string source)
    {
        CurationConfig? config;
        try
        {
            config = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build()
                .Deserialize<CurationConfig?>(yaml);
        }
        catch (YamlException e)
        {
            // YamlDotNet words an unknown key as "Property 'x' not found on type ...": keep its text and position.
            var why = e.InnerException?.Message ?? e.Message;
            throw new InvalidDataException($"{source}: line {e.Start.Line}, column {e.Start.Column}: {why}");
        }
        config ??= new CurationConfig();
        config.Validate(source);
        return config;
    }

    void Validate(string source)
    {
        void Require(string key, double value, double max = double.MaxValue)
        {
            if (!double.IsFinite(value) || value < 0 || value > max)
                throw new InvalidDataException($"{source}: {key} is {value}; it must be between 0 and {(max == double.MaxValue ? "any positive value" : max)}");
        }
        var f = Frame ?? throw new InvalidDataException($"{source}: frame section is empty");
        var s = Sequence ?? throw new InvalidDataException($"{source}: sequence section is empty");
        Require("frame.near_depth_m", f.NearDepthM);
        Require("frame.max_near_fraction", f.MaxNearFraction, 1);
        Require("frame.simsin_min_median_m", f.SimsinMinMedianM);
        Require("frame.simsin_min_p20_m", f.SimsinMinP20M);
        Require("frame.simsin_min_spread_m", f.SimsinMinSpreadM);
        Require("frame.max_invalid_depth_fraction", f.MaxInvalidDepthFraction, 1);
        Require("frame.min_mean_luma", f.MinMeanLuma, 255);
        Require("frame.max_mean_luma", f.MaxMeanLuma, 255);
        Require("frame.min_texture", f.MinTexture);
        Require("frame.min_change", f.MinChange);
        Require("sequence.max_collision_fraction", s.MaxCollisionFraction, 1);
        Require("sequence.min_travel_m", s.MinTravelM);
        Require("sequence.max_step_m", s.MaxStepM);
        Require("sequence.max_turn_deg", s.MaxTurnDeg, 180);
        Require("sequence.min_good_frames", s.MinGoodFrames);
        Require("sequence.max_bad_frame_ratio", s.MaxBadFrameRatio, 1);
        if (f.MinMeanLuma >= f.MaxMeanLuma)
            throw new InvalidDataException($"{source}: frame.min_mean_luma {f.MinMeanLuma} must be below frame.max_mean_luma {f.MaxMeanLuma}");
    }

    public string ToYaml() =>
        new SerializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build().Serialize(this);
}

/// <summary>Per-frame thresholds; see curation.default.yaml for what each means and why its default.</summary>
public sealed record FrameThresholds
{
    public double NearDepthM { get; init; } = 0.3;
    public double MaxNearFraction { get; init; } = 0.5;
    public double SimsinMinMedianM { get; init; } = 0.2;
    public double SimsinMinP20M { get; init; } = 0.05;
    public double SimsinMinSpreadM { get; init; } = 0.05;
    public double MaxInvalidDepthFraction { get; init; } = 0.5;
    public double MinMeanLuma { get; init; } = 20;
    public double MaxMeanLuma { get; init; } = 235;
    public double MinTexture { get; init; } = 1.0;
    public double MinChange { get; init; } = 0.5;
}

/// <summary>Per-sequence thresholds; see curation.default.yaml.</summary>
public sealed record SequenceThresholds
{
    public double MaxCollisionFraction { get; init; } = 0.1;
    public double MinTravelM { get; init; } = 0.2;
    public double MaxStepM { get; init; } = 0.5;
    public double MaxTurnDeg { get; init; } = 45;
    public int MinGoodFrames { get; init; } = 10;
    public double MaxBadFrameRatio { get; init; } = 0.5;
}

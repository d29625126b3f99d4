namespace DistDepth.Curation.Tests;

/// <summary>Acceptance 3, config half: a bad config is an error naming the file and the key.</summary>
public class CurationConfigTests
{
    static string Write(string yaml)
    {
        var path = Path.Combine(TempFolder.New("config"), "c.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void TheShippedDefaultFileIsTheCodesDefaults() =>
        Assert.Equal(new CurationConfig(), CurationConfig.Parse(CurationConfig.DefaultYaml(), CurationConfig.DefaultFileName));

    [Fact]
    public void AConfigOverridesOnlyTheKeysItSets()
    {
        var config = CurationConfig.Load(Write("frame:\n  near_depth_m: 0.4\nsequence:\n  min_good_frames: 5\n"));
        Assert.Equal(new CurationConfig { Frame = new() { NearDepthM = 0.4 }, Sequence = new() { MinGoodFrames = 5 } }, config);
    }

    [Fact]
    public void AnUnknownKeyIsAnErrorNamingTheKeyAndTheFile()
    {
        var path = Write("frame:\n  near_depth_m: 0.3\n  max_nearness: 0.5\n");
        var e = Assert.Throws<InvalidDataException>(() => CurationConfig.Load(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("max_nearness", e.Message);
        Assert.Contains("line 3", e.Message);
    }

    [Theory]
    [InlineData("frame:\n  min_texture: -1\n", "frame.min_texture is -1")]
    [InlineData("sequence:\n  max_bad_frame_ratio: 1.5\n", "sequence.max_bad_frame_ratio is 1.5")]
    [InlineData("frame:\n  min_mean_luma: 240\n", "frame.min_mean_luma 240 must be below frame.max_mean_luma")]
    [InlineData("frame:\n  near_depth_m: near\n", "line 2")]
    public void ABadValueIsAnErrorNamingTheKeyAndTheFile(string yaml, string expected)
    {
        var path = Write(yaml);
        var e = Assert.Throws<InvalidDataException>(() => CurationConfig.Load(path));
        Assert.StartsWith(path, e.Message);
        Assert.Contains(expected, e.Message);
    }
}

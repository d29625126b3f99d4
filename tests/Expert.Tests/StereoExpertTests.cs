using DistDepth.Dataset;
using DistDepth.TrainingCore.Expert;
using static DistDepth.Expert.Tests.ExpertFrames;

namespace DistDepth.Expert.Tests;

public class StereoExpertTests
{
    const int Width = 256, Height = 128;

    static StereoFrame[] Frames() => [.. new SyntheticRoom(2, Width, Height).Sequence(0, 2)];

    [Fact]
    public void DisparityIsFocalTimesBaselineOverDepthWhereValidAndZeroWhereUnmatched()
    {
        foreach (var frame in Frames())
        {
            var disparity = StereoSgbmExpert.Disparity(frame.Left, frame.Right!);
            var depth = ImageCodec.DecodeDepth(frame.Depth!).Metres;
            float fB = frame.Intrinsics.Fx * frame.BaselineM;
            var valid = Enumerable.Range(0, disparity.Length).Where(i => disparity[i] > 0).ToArray();
            Assert.True(valid.Length > disparity.Length / 2, $"only {valid.Length} of {disparity.Length} pixels matched");
            // Sub-pixel SGBM on a ray-cast room: most matches within 10% of f B / Z.
            double close = valid.Count(i => Math.Abs(disparity[i] * depth[i] / fB - 1) < 0.1) / (double)valid.Length;
            Assert.True(close > 0.9, $"{close:P0} of matched pixels within 10% of f B / Z");
            // The left band has no partner in the right image.
            int band = StereoSgbmExpert.NumDisparities(Width);
            for (int y = 0; y < Height; y++)
                for (int x = 0; x < band - 1; x++)
                    Assert.Equal(0f, disparity[y * Width + x]);
        }
    }

    [Fact]
    public async Task StereoRunFillsTheColumnWithInverseDepthAtTheNormalisedMedian()
    {
        var dir = await TestData.WriteDatasetAsync("stereo-expert", scenes: 1, sequences: 1, frames: 2, size: 128);
        var before = await ReadAllAsync(dir);
        var run = DistDepthCli.Run("expert", dir, "--expert", "stereo");
        Assert.True(run.Exit == 0, run.Stderr);
        var after = await ReadAllAsync(dir);
        for (int i = 0; i < after.Count; i++)
        {
            AssertOnlyExpertChanged(before[i], after[i]);
            Assert.Equal("stereo-sgbm", Meta(after[i])["expert"]!["kind"]!.GetValue<string>());
            var map = Decode(after[i]);
            var valid = map.Where(v => v > 0).Order().ToArray();
            Assert.True(valid.Length > map.Length / 2);
            Assert.Equal(DepthExpert.NormalisedMedian, valid[valid.Length / 2], DepthExpert.NormalisedMedian / 100);
            Assert.Contains(0f, map);
        }
        Assert.True((await DatasetVerifier.VerifyAsync(dir)).Ok);
    }

    [Fact]
    public async Task StereoRefusesFramesWithoutARightImageInOneLine()
    {
        var dir = TempFolder.New("stereo-no-right");
        await using (var writer = DatasetWriter.Open(dir))
        {
            var sequence = writer.BeginSequence("room", "mono-seq");
            foreach (var f in Frames()) sequence.Append(f with { Right = null });
            await sequence.CompleteAsync();
        }
        var shards = ShardsOf(dir);
        var run = DistDepthCli.Run("expert", dir, "--expert", "stereo");
        Assert.Equal(1, run.Exit);
        var line = OneLine(run.Stderr);
        Assert.Contains("no right image", line);
        Assert.Equal(shards, ShardsOf(dir));
        AssertOnlyListedShards(dir);
    }
}

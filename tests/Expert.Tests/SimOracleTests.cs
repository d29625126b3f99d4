using DistDepth.Dataset;
using DistDepth.TrainingCore.Expert;
using static DistDepth.Expert.Tests.ExpertFrames;

namespace DistDepth.Expert.Tests;

public class SimOracleTests
{
    static StereoFrame[] Frames() => [.. new SyntheticRoom(1, 96, 64).Sequence(0, 3)];

    static StereoFrame ScaleDepth(StereoFrame frame, float k)
    {
        var depth = ImageCodec.DecodeDepth(frame.Depth!);
        return frame with { Depth = ImageCodec.EncodeDepth(depth with { Metres = [.. depth.Metres.Select(m => m * k)] }) };
    }

    [Fact]
    public void OracleDecreasesStrictlyWithDepthAndIgnoresItsScale()
    {
        using var oracle = new SimOracleExpert();
        foreach (var frame in Frames())
        {
            var depth = ImageCodec.DecodeDepth(frame.Depth!).Metres;
            var e = oracle.Predict(frame);
            var byDepth = Enumerable.Range(0, depth.Length).Where(i => depth[i] > 0).OrderBy(i => depth[i]).ToArray();
            for (int k = 1; k < byDepth.Length; k++)
            {
                int near = byDepth[k - 1], far = byDepth[k];
                if (depth[near] < depth[far]) Assert.True(e[near] > e[far], $"depth {depth[near]} -> {e[near]}, {depth[far]} -> {e[far]}");
                else Assert.Equal(e[near], e[far]);
            }
            // Scale only: E times depth is one constant, the median of E the normalised one.
            var products = byDepth.Select(i => e[i] * depth[i]).ToArray();
            Assert.All(products, p => Assert.Equal(products[0], p, products[0] * 1e-4f));
            Assert.Equal(DepthExpert.NormalisedMedian, byDepth.Select(i => e[i]).Order().ElementAt(byDepth.Length / 2), 1e-2f);
            foreach (var k in new[] { 2f, 3f })
                Assert.All(oracle.Predict(ScaleDepth(frame, k)).Zip(e), p => Assert.Equal(p.Second, p.First, p.Second * 1e-5f));
        }
    }

    [Fact]
    public async Task OracleRunIsLabelledATestingAidAndStoresTheOracleMap()
    {
        var dir = await TestData.WriteDatasetAsync("oracle", scenes: 1, sequences: 2, frames: 3, size: 64);
        var before = await ReadAllAsync(dir);
        var run = DistDepthCli.Run("expert", dir, "--expert", "sim-oracle");
        Assert.True(run.Exit == 0, run.Stderr);
        Assert.Contains("testing aid", run.Stdout);

        using var oracle = new SimOracleExpert();
        var after = await ReadAllAsync(dir);
        for (int i = 0; i < after.Count; i++)
        {
            AssertOnlyExpertChanged(before[i], after[i]);
            Assert.True(Meta(after[i])["expert"]!["testing_aid"]!.GetValue<bool>());
            float step = Scale(after[i]);
            Assert.All(Decode(after[i]).Zip(oracle.Predict(before[i])), p => Assert.InRange(p.First - p.Second, -0.51f * step, 0.51f * step));
        }
        Assert.True((await DatasetVerifier.VerifyAsync(dir)).Ok);
    }

    [Fact]
    public async Task OracleRefusesFramesWithoutGroundTruthDepthInOneLine()
    {
        var dir = TempFolder.New("oracle-no-depth");
        await using (var writer = DatasetWriter.Open(dir))
        {
            var sequence = writer.BeginSequence("room", "real-seq");
            foreach (var f in Frames()) sequence.Append(f with { Depth = null, Source = FrameSource.Zed });
            await sequence.CompleteAsync();
        }
        var shards = ShardsOf(dir);
        var run = DistDepthCli.Run("expert", dir, "--expert", "sim-oracle");
        Assert.Equal(1, run.Exit);
        var line = OneLine(run.Stderr);
        Assert.Contains(DatasetManifest.Load(dir).Shards[0].File, line);
        Assert.Contains("no simulator ground-truth depth", line);
        Assert.Equal(shards, ShardsOf(dir));
        AssertOnlyListedShards(dir);
    }
}

using DistDepth.Dataset;
using static DistDepth.Expert.Tests.ExpertFrames;

namespace DistDepth.Expert.Tests;

public class OnnxExpertTests
{
    static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f], ImageNetStd = [0.229f, 0.224f, 0.225f];
    static readonly DatasetWriterOptions ShardPerSequence = new() { TargetShardBytes = 1 };

    [Fact]
    public async Task EveryRowGetsTheModelsMapAtFrameSizeAndNothingElseChanges()
    {
        var dir = await TestData.WriteDatasetAsync("onnx-expert", scenes: 2, sequences: 2, frames: 3, size: 128, ShardPerSequence);
        var before = await ReadAllAsync(dir);

        // 128 px frames -> 64 px model input (area) -> 128 px map (bilinear), MiDaS-small normalisation.
        var run = DistDepthCli.Run("expert", dir, "--model", TinyExpertModel.Dynamic, "--preset", "midas-small", "--input-size", "64");
        Assert.True(run.Exit == 0, run.Stderr);

        var after = await ReadAllAsync(dir);
        Assert.Equal(before.Count, after.Count);
        var expected = TinyExpertModel.Reference(before, 64, ImageNetMean, ImageNetStd);
        for (int i = 0; i < after.Count; i++)
        {
            AssertOnlyExpertChanged(before[i], after[i]);
            var map = Decode(after[i]);
            float step = Scale(after[i]);
            Assert.True(expected[i].Max() > 0, "the tiny model gave an all-zero map: a useless comparison");
            // Same network in PyTorch: equal up to half a 16-bit step plus float rounding.
            Assert.All(map.Zip(expected[i]), p => Assert.InRange(p.First - p.Second, -0.51f * step - 1e-5f, 0.51f * step + 1e-5f));
            Assert.Equal("onnx", Meta(after[i])["expert"]!["kind"]!.GetValue<string>());
        }
        Assert.True((await DatasetVerifier.VerifyAsync(dir)).Ok);
        Assert.All(DatasetManifest.Load(dir).Shards, s => Assert.EndsWith(".v1.parquet", s.File));
        AssertOnlyListedShards(dir);

        // The same expert again: every shard is finished, nothing is rewritten.
        var shards = ShardsOf(dir);
        Assert.Equal(0, DistDepthCli.Run("expert", dir, "--model", TinyExpertModel.Dynamic, "--preset", "midas-small", "--input-size", "64").Exit);
        Assert.Equal(shards, ShardsOf(dir));
    }

    [Fact]
    public async Task AFixedInputModelRunsAtItsSizeAndAWrongSizeNamesModelAndBothShapes()
    {
        var dir = await TestData.WriteDatasetAsync("onnx-fixed", scenes: 1, sequences: 1, frames: 2, size: 96);
        var wrong = DistDepthCli.Run("expert", dir, "--model", TinyExpertModel.Fixed64);
        Assert.Equal(1, wrong.Exit);
        var line = OneLine(wrong.Stderr);
        Assert.Contains(TinyExpertModel.Fixed64, line);
        Assert.Contains("[1,3,64,64]", line);
        Assert.Contains("[1,3,384,384]", line);

        var right = DistDepthCli.Run("expert", dir, "--model", TinyExpertModel.Fixed64, "--preset", "midas-small", "--input-size", "64");
        Assert.True(right.Exit == 0, right.Stderr);
        Assert.All(await ReadAllAsync(dir), f => Decode(f));
    }

    [Fact]
    public async Task BadInputsPrintOneLineAndExitNonZero()
    {
        var dir = await TestData.WriteDatasetAsync("onnx-bad", scenes: 1, sequences: 1, frames: 2, size: 32);
        var notOnnx = Path.Combine(TempFolder.New("not-onnx"), "model.onnx");
        File.WriteAllText(notOnnx, "this is not a protobuf");
        var empty = TempFolder.New("no-manifest");
        var cases = new (string[] Args, string Expected)[]
        {
            (["expert", dir, "--model", notOnnx], $"{notOnnx}: not an ONNX model"),
            (["expert", dir, "--model", notOnnx + ".missing"], "model file not found"),
            (["expert", empty, "--model", TinyExpertModel.Dynamic], "manifest.json: not found"),
            (["expert", empty + "-missing", "--model", TinyExpertModel.Dynamic], "no such dataset folder"),
            (["expert", dir], "give either --model"),
            (["expert", dir, "--model", TinyExpertModel.Dynamic, "--expert", "sim-oracle"], "give either --model"),
            (["expert", dir, "--model", TinyExpertModel.Dynamic, "--preset", "depth-anything", "--input-size", "500"], "multiple of 14"),
            (["expert", dir, "--model", TinyExpertModel.Dynamic, "--mean", "0.5,x,0.5"], "--mean"),
        };
        var shards = ShardsOf(dir);
        foreach (var (args, expected) in cases)
        {
            var run = DistDepthCli.Run(args);
            Assert.True(run.Exit != 0, string.Join(' ', args));
            Assert.Contains(expected, OneLine(run.Stderr));
        }
        Assert.Equal(shards, ShardsOf(dir));
    }

    /// <summary>A one-shard dataset whose rows were all rewritten by <paramref name="damage"/>; returns the shard's file.</summary>
    static async Task<(string Dir, string Shard)> DatasetWithEveryRow(string name, Func<StereoFrame, StereoFrame> damage)
    {
        var dir = await TestData.WriteDatasetAsync(name, scenes: 1, sequences: 1, frames: 2, size: 32);
        using (var rewriter = DatasetRewriter.Open(dir))
            await rewriter.ReplaceAsync(rewriter.Manifest.Shards[0],
                (frames, _) => Task.FromResult<IReadOnlyList<StereoFrame>>([.. frames.Select(damage)]));
        return (dir, DatasetManifest.Load(dir).Shards[0].File);
    }

    [Fact]
    public async Task ADatasetWithoutLeftImagesGetsTheDatasetsOwnErrorNamingTheShard()
    {
        var (dir, shard) = await DatasetWithEveryRow("onnx-no-left", f => f with { Left = null! });

        var run = DistDepthCli.Run("expert", dir, "--model", TinyExpertModel.Dynamic, "--preset", "midas-small", "--input-size", "32");
        Assert.Equal(1, run.Exit);
        var line = OneLine(run.Stderr);
        Assert.Contains(shard, line);
        Assert.Contains("left image is missing", line);
    }

    [Fact]
    public async Task AMalformedMetaJsonIsOneLineNamingTheShardRow()
    {
        var (dir, shard) = await DatasetWithEveryRow("onnx-bad-meta", f => f with { MetaJson = "{\"truncated\": " });

        var run = DistDepthCli.Run("expert", dir, "--expert", "sim-oracle");
        Assert.Equal(1, run.Exit);
        var line = OneLine(run.Stderr);
        Assert.Contains(shard, line);
        Assert.Contains("meta_json is not valid JSON", line);
    }

    [Fact]
    public async Task AnotherWriterHoldingTheFolderKeepsTheExpertOut()
    {
        var dir = await TestData.WriteDatasetAsync("onnx-locked", scenes: 1, sequences: 1, frames: 2, size: 32);
        await using (DatasetWriter.Open(dir))
        {
            var run = DistDepthCli.Run("expert", dir, "--model", TinyExpertModel.Dynamic, "--input-size", "32", "--preset", "midas-small");
            Assert.Equal(1, run.Exit);
            Assert.Contains("another process is writing", OneLine(run.Stderr));
        }
    }
}

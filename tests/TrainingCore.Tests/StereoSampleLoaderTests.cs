using DistDepth.Dataset;
using DistDepth.TrainingCore.Data;
using DistDepth.TrainingCore.Geometry;
using DistDepth.TrainingCore.Losses;
using OpenCvSharp;
using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Tests;

public class StereoSampleLoaderTests
{
    const int Size = 64;

    static StereoSampleLoader Loader(string dir, int batch = 2, bool augment = true, int seed = 7, bool expert = true) =>
        new(DatasetReader.Open(dir), DatasetReader.Open(dir).Sequences, new LoaderOptions(Size, Size, batch, expert, augment), seed);

    static async Task<List<LoadedBatch>> Take(StereoSampleLoader loader, long first, int count)
    {
        var batches = new List<LoadedBatch>();
        await foreach (var b in loader.ReadAsync(first))
        {
            batches.Add(b);
            if (batches.Count == count) break;
        }
        return batches;
    }

    static void AssertSame(LoadedBatch a, LoadedBatch b)
    {
        Assert.Equal(a.Samples, b.Samples);
        Assert.True(a.Batch.AugmentedTarget.eq(b.Batch.AugmentedTarget).all().item<bool>());
        Assert.True(a.Batch.AugmentedNext.eq(b.Batch.AugmentedNext).all().item<bool>());
        Assert.True(a.Batch.Loss.Right.eq(b.Batch.Loss.Right).all().item<bool>());
        Assert.True(a.Batch.Loss.Intrinsics.eq(b.Batch.Loss.Intrinsics).all().item<bool>());
        Assert.True(a.Batch.Loss.Expert.eq(b.Batch.Loss.Expert).all().item<bool>());
    }

    [Fact]
    public async Task SameSeedSameBatchesAndAResumedStreamPicksUpMidway()
    {
        var dir = await TestDatasets.WriteAsync("loader-determinism", sequences: 3, frames: 6);
        var loader = Loader(dir);
        Assert.Equal(12, loader.SampleCount);
        Assert.Equal(6, loader.BatchesPerEpoch);
        var straight = await Take(loader, 0, 9);              // crosses into the second epoch
        var again = await Take(Loader(dir), 0, 9);
        var resumed = await Take(Loader(dir), 5, 4);
        for (int i = 0; i < 9; i++) AssertSame(straight[i], again[i]);
        for (int i = 0; i < 4; i++) AssertSame(straight[5 + i], resumed[i]);
        Assert.NotEqual(loader.Order(0).Select(o => o.Sample), loader.Order(1).Select(o => o.Sample));
        Assert.Equal(loader.Order(0).Select(o => o.Sample.ToString()).Order(), loader.Order(1).Select(o => o.Sample.ToString()).Order());
    }

    [Fact]
    public async Task LossImagesAreUnjitteredAndNetworkImagesAreJitteredSometimes()
    {
        var dir = await TestDatasets.WriteAsync("loader-jitter", sequences: 2, frames: 10);
        var batches = await Take(Loader(dir, batch: 4), 0, 4);
        int jittered = 0, plain = 0;
        foreach (var b in batches)
            for (int n = 0; n < 4; n++)
            {
                bool same = b.Batch.AugmentedTarget[n].eq(b.Batch.Loss.Target[n]).all().item<bool>();
                (same ? ref plain : ref jittered)++;
            }
        Assert.InRange(jittered, 2, 14);
        Assert.InRange(plain, 2, 14);
        var unaugmented = await Take(Loader(dir, batch: 4, augment: false), 0, 1);
        Assert.True(unaugmented[0].Batch.AugmentedTarget.eq(unaugmented[0].Batch.Loss.Target).all().item<bool>());
        Assert.False(unaugmented[0].Batch.Loss.Flipped.any().item<bool>());
    }

    /// <summary>
    /// The geometry check of a flip: warping the (possibly mirrored) right view into the target with
    /// the true depth and the loader's K and flip flag must match the target, and must not with the
    /// flip flag inverted. Any mistake in the mirrored principal point or the baseline sign fails it.
    /// </summary>
    [Fact]
    public async Task FlippedSamplesWarpCorrectlyWithTheSwappedStereoDirection()
    {
        var dir = await TestDatasets.WriteAsync("loader-flip", sequences: 2, frames: 10, size: 96);
        var reader = DatasetReader.Open(dir);
        var loader = new StereoSampleLoader(reader, reader.Sequences, new LoaderOptions(Size, Size, 4, true), 3);
        var frames = reader.Sequences.ToDictionary(s => s.SequenceId, s => reader.ReadSequenceAsync(s.SequenceId).Result);
        int flippedSeen = 0, plainSeen = 0;
        foreach (var b in await Take(loader, 0, 4))
            for (int n = 0; n < 4; n++)
            {
                var l = b.Batch.Loss;
                bool flipped = l.Flipped[n].item<bool>();
                var depth = GroundTruth(frames[b.Samples[n].SequenceId][b.Samples[n].Position], flipped);
                float Error(bool flag) => PhotometricLoss.Error(
                    ViewSynthesis.Warp(l.Right[n..(n + 1)], depth, l.Intrinsics[n..(n + 1)],
                        RigidTransform.Stereo(l.Baseline[n..(n + 1)], tensor(new[] { flag }))), l.Target[n..(n + 1)])
                    [.., .., 4..^4, 12..^12].mean().item<float>();
                float right = Error(flipped), wrong = Error(!flipped);
                Assert.True(right < 0.5 * wrong, $"sample {n} flipped={flipped}: error {right} with the loader's flag, {wrong} with it inverted");
                (flipped ? ref flippedSeen : ref plainSeen)++;
            }
        Assert.True(flippedSeen > 0 && plainSeen > 0);
    }

    static Tensor GroundTruth(StereoFrame frame, bool flip)
    {
        var gt = ImageCodec.DecodeDepth(frame.Depth!);
        using var source = Mat.FromPixelData(gt.Height, gt.Width, MatType.CV_32FC1, gt.Metres);
        using var resized = new Mat();
        Cv2.Resize(source, resized, new OpenCvSharp.Size(Size, Size), 0, 0, InterpolationFlags.Nearest);
        resized.GetArray(out float[] metres);
        var t = tensor(metres).view(1, 1, Size, Size);
        return flip ? t.flip(3) : t;
    }

    [Fact]
    public async Task SkippedFramesNeverEnterASample()
    {
        var dir = await TestDatasets.WriteAsync("loader-skip", sequences: 2, frames: 8);
        var reader = DatasetReader.Open(dir);
        var skip = new Dictionary<string, IReadOnlySet<int>> { ["room00-seq00"] = new HashSet<int> { 3 } };
        var loader = new StereoSampleLoader(reader, reader.Sequences, new LoaderOptions(Size, Size, 2, true), 1, skip);
        Assert.Equal(6 + 3, loader.SampleCount);
        Assert.DoesNotContain(loader.Order(0), o => o.Sample.SequenceId == "room00-seq00" && Math.Abs(o.Sample.Position - 3) <= 1);
    }

    [Fact]
    public async Task MissingExpertRightViewOrBaselineIsOneClearLine()
    {
        var noExpert = await TestDatasets.WriteAsync("loader-no-expert", expert: false);
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => Take(Loader(noExpert), 0, 1));
        Assert.Matches("sequence room0\\d-seq00 frame \\d+ has no `expert` column value; run `distdepth expert`.*--no-distill", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Single(await Take(Loader(noExpert, expert: false), 0, 1));

        var noRight = await TestDatasets.WriteAsync("loader-no-right", edit: (_, f) => f with { Right = null });
        e = await Assert.ThrowsAsync<InvalidDataException>(() => Take(Loader(noRight), 0, 1));
        Assert.Matches("sequence room0\\d-seq00 frame \\d+ has no `right` column value; training needs stereo pairs", e.Message);

        var nanBaseline = await TestDatasets.WriteAsync("loader-nan-baseline", edit: (_, f) => f with { BaselineM = float.NaN });
        e = await Assert.ThrowsAsync<InvalidDataException>(() => Take(Loader(nanBaseline), 0, 1));
        Assert.Matches("sequence room0\\d-seq00 frame \\d+ has `baseline_m` = NaN; expected a finite, positive value", e.Message);
    }
}

using DistDepth.Dataset;

namespace DistDepth.Dataset.Tests;

public class RoundTripTests
{
    [Fact]
    public async Task FramesReadBackBitIdentical()
    {
        var dir = TempFolder.New("roundtrip");
        var written = new SyntheticRoom(3, 48, 32).Sequence(0, 5).ToList();
        written[2] = written[2] with { Expert = ImageCodec.EncodeUInt16(Enumerable.Range(0, 48 * 32).Select(i => (ushort)(i * 7)).ToArray(), 48, 32), Depth = null };
        await using (var writer = DatasetWriter.Open(dir))
        {
            var seq = writer.BeginSequence("room3", "s0");
            written.ForEach(seq.Append);
            await seq.CompleteAsync();
        }

        var read = await DatasetReader.Open(dir).ReadSequenceAsync("s0");
        Assert.Equal(written.Count, read.Count);
        for (int i = 0; i < read.Count; i++)
        {
            var (w, r) = (written[i], read[i]);
            Assert.Equal(("room3", "s0", w.FrameIndex, w.TimestampNs, w.Source), (r.SceneId, r.SequenceId, r.FrameIndex, r.TimestampNs, r.Source));
            Assert.Equal(ImageCodec.DecodeRgb(w.Left).Pixels, ImageCodec.DecodeRgb(r.Left).Pixels);
            Assert.Equal(ImageCodec.DecodeRgb(w.Right!).Pixels, ImageCodec.DecodeRgb(r.Right!).Pixels);
            Assert.Equal(w.Depth is null ? null : ImageCodec.DecodeUInt16(w.Depth, out _, out _),
                         r.Depth is null ? null : ImageCodec.DecodeUInt16(r.Depth, out _, out _));
            Assert.Equal(w.Expert, r.Expert);
            Assert.Equal(w.Intrinsics, r.Intrinsics);
            Assert.Equal(w.BaselineM, r.BaselineM);
            Assert.Equal(w.Pose, r.Pose);
            Assert.Equal(w.MetaJson, r.MetaJson);
            Assert.Equal((w.Width, w.Height), (r.Width, r.Height));
        }
        Assert.Null(read[2].Depth);
        Assert.NotNull(read[2].Expert);
    }

    [Fact]
    public async Task SequencesNeverSpanShardsAndStreamInOrder()
    {
        // A tiny shard target forces a new shard after every sequence, and tiny row groups split each one.
        var options = new DatasetWriterOptions { TargetShardBytes = 1, TargetRowGroupBytes = 1 };
        var dir = await TestData.WriteDatasetAsync("shards", scenes: 2, sequences: 2, frames: 3, options: options);
        var manifest = DatasetManifest.Load(dir);
        Assert.Equal(4, manifest.Shards.Count);
        Assert.All(manifest.Shards, s => Assert.Single(s.Sequences));
        Assert.All(manifest.Sequences, s => Assert.Equal(3, s.RowGroups));

        var all = new List<StereoFrame>();
        await foreach (var f in DatasetReader.Open(dir).ReadAllAsync()) all.Add(f);
        Assert.Equal(manifest.Sequences.SelectMany(s => Enumerable.Range(0, 3).Select(i => (s.SequenceId, i))),
                     all.Select(f => (f.SequenceId, f.FrameIndex)));
        Assert.True((await DatasetVerifier.VerifyAsync(dir)).Ok);
    }

    [Fact]
    public async Task ADuplicateSequenceIsRefused()
    {
        var dir = await TestData.WriteDatasetAsync("dup", scenes: 1, sequences: 1);
        await using var writer = DatasetWriter.Open(dir);
        Assert.True(writer.Contains("room0-seq0"));
        var e = Assert.Throws<ArgumentException>(() => writer.BeginSequence("room0", "room0-seq0"));
        Assert.Contains("already in the dataset", e.Message);
    }

    [Fact]
    public async Task ASecondWriterOnTheSameFolderIsRefused()
    {
        var dir = TempFolder.New("lock");
        await using var first = DatasetWriter.Open(dir);
        var e = Assert.Throws<IOException>(() => DatasetWriter.Open(dir));
        Assert.Contains("another process is writing", e.Message);
    }

    [Fact]
    public async Task ShardsCarryTheHuggingFaceImageFeatures()
    {
        var dir = await TestData.WriteDatasetAsync("hf", scenes: 1, sequences: 1);
        await using var reader = await Parquet.ParquetReader.CreateAsync(TestData.ShardPath(dir));
        var features = System.Text.Json.Nodes.JsonNode.Parse(reader.CustomMetadata["huggingface"])!["info"]!["features"]!;
        foreach (var image in new[] { "left", "right", "depth", "expert" })
            Assert.Equal("Image", (string?)features[image]!["_type"]);
        Assert.Equal(DatasetSchema.Schema.Fields.Select(f => f.Name), reader.Schema.Fields.Select(f => f.Name));
    }
}

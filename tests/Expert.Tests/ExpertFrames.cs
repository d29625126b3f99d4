using System.Text.Json.Nodes;
using DistDepth.Dataset;
using DistDepth.TrainingCore.Data;
using DistDepth.TrainingCore.Expert;

namespace DistDepth.Expert.Tests;

internal static class ExpertFrames
{
    public static async Task<List<StereoFrame>> ReadAllAsync(string dir) =>
        await DatasetReader.Open(dir).ReadAllAsync().ToListAsync();

    public static JsonObject Meta(StereoFrame frame) => (JsonObject)JsonNode.Parse(frame.MetaJson)!;

    public static float Scale(StereoFrame frame) => Meta(frame)[ExpertStage.ScaleKey]!.GetValue<float>();

    /// <summary>The map as the trainer's loader decodes it; asserts it has the frame's size.</summary>
    public static float[] Decode(StereoFrame frame)
    {
        var map = ExpertMap.Decode(frame, out int w, out int h);
        Assert.Equal((frame.Width, frame.Height), (w, h));
        return map;
    }

    /// <summary>Everything but the expert column and the expert's meta_json keys is bit-identical.</summary>
    public static void AssertOnlyExpertChanged(StereoFrame before, StereoFrame after)
    {
        Assert.Equal((before.DatasetId, before.SceneId, before.SequenceId, before.FrameIndex, before.TimestampNs, before.Source),
            (after.DatasetId, after.SceneId, after.SequenceId, after.FrameIndex, after.TimestampNs, after.Source));
        Assert.Equal(before.Left, after.Left);
        Assert.Equal(before.Right, after.Right);
        Assert.Equal(before.Depth, after.Depth);
        Assert.Equal((before.Width, before.Height, before.Intrinsics, before.BaselineM), (after.Width, after.Height, after.Intrinsics, after.BaselineM));
        Assert.Equal(before.Pose, after.Pose);
        var meta = Meta(after);
        meta.Remove(ExpertStage.LabelKey);
        meta.Remove(ExpertStage.ScaleKey);
        Assert.True(JsonNode.DeepEquals(Meta(before), meta), $"meta_json changed beyond the expert keys: {after.MetaJson}");
    }

    public static string ShardsOf(string dir) =>
        string.Join(" ", DatasetManifest.Load(dir).Shards.Select(s => $"{s.File}:{s.Sha256}"));

    /// <summary>The shard folder holds exactly what the manifest lists: nothing lost, nothing left over.</summary>
    public static void AssertOnlyListedShards(string dir)
    {
        var listed = DatasetManifest.Load(dir).Shards.Select(s => Path.GetFileName(s.File)).Order();
        var present = Directory.EnumerateFiles(Path.Combine(dir, DatasetWriter.ShardFolder)).Select(Path.GetFileName).Order();
        Assert.Equal(listed, present);
    }

    public static string OneLine(string stderr)
    {
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line, got:\n{stderr}");
        return lines[0];
    }
}

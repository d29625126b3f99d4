using System.Text.Json;
using System.Text.Json.Nodes;
using DistDepth.Dataset;

namespace DistDepth.TrainingCore.Expert;

public sealed record ExpertRunSummary(long FramesComputed, long FramesAlreadyDone, int ShardsReplaced);

/// <summary>
/// Fills the dataset's expert column, shard by shard, through <see cref="DatasetRewriter"/>: a killed
/// run leaves every shard whole, and a re-run skips the shards this same expert already finished.
/// Each map is a 16-bit PNG at the frame's resolution; meta_json gets the expert's label under
/// "expert" and the map's scale under "expert_scale" (real value = stored integer * scale).
/// </summary>
public sealed class ExpertStage(DepthExpert expert)
{
    public const string LabelKey = "expert", ScaleKey = "expert_scale";

    public async Task<ExpertRunSummary> RunAsync(string directory, IProgress<long>? framesDone = null, CancellationToken ct = default)
    {
        using var rewriter = DatasetRewriter.Open(directory);
        long computed = 0, skipped = 0;
        int replaced = 0;
        foreach (var shard in rewriter.Manifest.Shards.ToList())
        {
            if (IsDoneBy(MetaObject(await rewriter.FirstMetaJsonAsync(shard, ct), $"{Path.Combine(rewriter.Directory, shard.File)} row 0")))
            {
                skipped += shard.Rows;
                framesDone?.Report(shard.Rows);
                continue;
            }
            await rewriter.ReplaceAsync(shard, (frames, ct) => FillAsync(frames, framesDone, ct), ct);
            computed += shard.Rows;
            replaced++;
        }
        return new ExpertRunSummary(computed, skipped, replaced);
    }

    bool IsDoneBy(JsonObject meta) => JsonNode.DeepEquals(meta[LabelKey], expert.Label);

    /// <summary>A frame's meta_json as an object, or an error naming <paramref name="where"/> (a row a person can find).</summary>
    internal static JsonObject MetaObject(string metaJson, string where)
    {
        try
        {
            return JsonNode.Parse(metaJson) as JsonObject ?? throw new InvalidDataException($"{where}: meta_json is not a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{where}: meta_json is not valid JSON ({e.Message})");
        }
    }

    async Task<IReadOnlyList<StereoFrame>> FillAsync(IReadOnlyList<StereoFrame> frames, IProgress<long>? framesDone, CancellationToken ct)
    {
        var label = expert.Label;
        var filled = new StereoFrame[frames.Count];
        // Awaited, the loop rethrows a frame's own exception rather than an AggregateException the CLI cannot word.
        await Parallel.ForAsync(0, frames.Count, ct, (i, _) =>
        {
            var (png, scale) = Quantise(expert.Predict(frames[i]), frames[i].Width, frames[i].Height);
            var meta = MetaObject(frames[i].MetaJson, $"sequence '{frames[i].SequenceId}' frame {frames[i].FrameIndex}");
            meta[LabelKey] = label.DeepClone();
            meta[ScaleKey] = scale;
            filled[i] = frames[i] with { Expert = png, MetaJson = meta.ToJsonString() };
            return ValueTask.CompletedTask;
        });
        framesDone?.Report(frames.Count);
        return filled;
    }

    // The largest value maps to 65535, so every frame keeps 16 bits whatever the expert's range.
    static (byte[] Png, float Scale) Quantise(float[] values, int width, int height)
    {
        float max = values.Max();
        float scale = max > 0 ? max / ushort.MaxValue : 1;
        var stored = new ushort[values.Length];
        for (int i = 0; i < values.Length; i++) stored[i] = (ushort)Math.Clamp(MathF.Round(values[i] / scale), 0, ushort.MaxValue);
        return (ImageCodec.EncodeUInt16(stored, width, height), scale);
    }
}

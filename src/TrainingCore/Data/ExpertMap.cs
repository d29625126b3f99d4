using System.Globalization;
using System.Text.Json.Nodes;
using DistDepth.Dataset;
using DistDepth.TrainingCore.Expert;

namespace DistDepth.TrainingCore.Data;

/// <summary>
/// The dataset's `expert` column: a 16-bit PNG of relative inverse depth (non-negative) whose real
/// values are the stored integers times a per-frame scale kept in meta_json, so that maps of very
/// different ranges (MiDaS, DPT, an oracle) all keep their 16 bits of precision.
/// </summary>
public static class ExpertMap
{
    public static float[] Decode(StereoFrame frame, out int width, out int height)
    {
        var stored = ImageCodec.DecodeUInt16(frame.Expert ?? throw new ArgumentException("frame has no expert map"), out width, out height);
        float scale = Scale(ExpertStage.MetaObject(frame.MetaJson, $"sequence '{frame.SequenceId}' frame {frame.FrameIndex}"));
        var values = new float[stored.Length];
        for (int i = 0; i < values.Length; i++) values[i] = stored[i] * scale;
        return values;
    }

    // A map written without a scale is taken as stored (scale 1): the distillation loss only needs
    // relative values, and 1/(E + 1) is then still a monotone pseudo-depth.
    static float Scale(JsonObject meta) =>
        meta[ExpertStage.ScaleKey] is JsonValue v ? float.Parse(v.ToString(), CultureInfo.InvariantCulture) : 1f;
}

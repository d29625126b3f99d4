using System.Text.Json.Nodes;
using DistDepth.Dataset;

namespace DistDepth.TrainingCore.RealRgbd;

/// <summary>
/// Dataset rows for real RGB-D benchmark frames: the colour image as the left view, metric depth,
/// no right image (no baseline), an unknown pose (NaN), and in meta_json the benchmark and, where its
/// papers crop for evaluation, the crop (`eval_crop`: x0, y0, x1, y1 in depth pixels, end exclusive).
/// </summary>
public static class RgbdFrames
{
    public const string BenchmarkKey = "benchmark", CropKey = "eval_crop";

    public static StereoFrame Create(int index, RgbImage colour, DepthMap depth, CameraIntrinsics intrinsics, string benchmark, int[]? evalCrop, string origin)
    {
        var meta = new JsonObject { [BenchmarkKey] = benchmark, ["origin"] = origin };
        if (evalCrop is not null) meta[CropKey] = new JsonArray([.. evalCrop.Select(v => (JsonNode)v)]);
        return new StereoFrame
        {
            FrameIndex = index, TimestampNs = index, Source = FrameSource.RealRgbd,
            Left = ImageCodec.EncodeRgb(colour), Depth = ImageCodec.EncodeDepth(depth),
            Width = colour.Width, Height = colour.Height, Intrinsics = intrinsics, BaselineM = 0,
            Pose = Enumerable.Repeat(float.NaN, 12).ToArray(), MetaJson = meta.ToJsonString(),
        };
    }

    /// <summary>The frame's evaluation crop from meta_json, or null (whole image).</summary>
    public static int[]? EvalCrop(StereoFrame frame) =>
        Expert.ExpertStage.MetaObject(frame.MetaJson, $"sequence '{frame.SequenceId}' frame {frame.FrameIndex}")[CropKey] is JsonArray crop
            ? crop.Select(v => v!.GetValue<int>()).ToArray() : null;
}

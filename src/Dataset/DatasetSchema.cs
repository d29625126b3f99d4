using System.Text.Json.Nodes;
using Parquet.Schema;

namespace DistDepth.Dataset;

/// <summary>
/// The v1 row layout (DESIGN.md). Image columns follow the Hugging Face Image convention,
/// struct{bytes, path}, so `datasets` and the Hub viewer show them as pictures.
/// </summary>
public static class DatasetSchema
{
    public const int Version = 1;
    public const string DepthUnit = "millimetre";

    public static readonly DataField<string> DatasetId = new("dataset_id");
    public static readonly DataField<string> SceneId = new("scene_id");
    public static readonly DataField<string> SequenceId = new("sequence_id");
    public static readonly DataField<int> FrameIndex = new("frame_index");
    public static readonly DataField<long> TimestampNs = new("timestamp_ns");
    public static readonly DataField<string> Source = new("source");
    public static readonly ImageColumn Left = new("left");
    public static readonly ImageColumn Right = new("right");
    public static readonly ImageColumn Depth = new("depth");
    public static readonly ImageColumn Expert = new("expert");
    public static readonly DataField<int> Width = new("width");
    public static readonly DataField<int> Height = new("height");
    public static readonly DataField<float> Fx = new("fx");
    public static readonly DataField<float> Fy = new("fy");
    public static readonly DataField<float> Cx = new("cx");
    public static readonly DataField<float> Cy = new("cy");
    public static readonly DataField<float> BaselineM = new("baseline_m");
    public static readonly ListField Pose = new("pose", new DataField<float>("element"));
    public static readonly DataField<string> MetaJson = new("meta_json");

    public static DataField PoseElement => (DataField)Pose.Item;

    public static readonly ParquetSchema Schema = new(
        DatasetId, SceneId, SequenceId, FrameIndex, TimestampNs, Source,
        Left.Field, Right.Field, Depth.Field, Expert.Field,
        Width, Height, Fx, Fy, Cx, Cy, BaselineM, Pose, MetaJson);

    /// <summary>The file's `huggingface` key/value metadata entry.</summary>
    public static string HuggingFaceFeatures()
    {
        static JsonObject Value(string dtype) => new() { ["dtype"] = dtype, ["_type"] = "Value" };
        static JsonObject Image() => new() { ["_type"] = "Image" };
        var features = new JsonObject
        {
            ["dataset_id"] = Value("string"), ["scene_id"] = Value("string"), ["sequence_id"] = Value("string"),
            ["frame_index"] = Value("int32"), ["timestamp_ns"] = Value("int64"), ["source"] = Value("string"),
            ["left"] = Image(), ["right"] = Image(), ["depth"] = Image(), ["expert"] = Image(),
            ["width"] = Value("int32"), ["height"] = Value("int32"),
            ["fx"] = Value("float32"), ["fy"] = Value("float32"), ["cx"] = Value("float32"), ["cy"] = Value("float32"),
            ["baseline_m"] = Value("float32"),
            // A variable list, as the file's Arrow type is: `datasets` drops a declared feature whose type
            // differs (Features.from_arrow_schema), and a fixed length would be a fixed_size_list.
            ["pose"] = new JsonObject { ["feature"] = Value("float32"), ["_type"] = "Sequence" },
            ["meta_json"] = Value("string"),
        };
        return new JsonObject { ["info"] = new JsonObject { ["features"] = features } }.ToJsonString();
    }
}

/// <summary>A nullable struct{bytes: binary, path: string} column holding an encoded image.</summary>
public sealed class ImageColumn
{
    public ImageColumn(string name)
    {
        Bytes = new DataField<byte[]>("bytes", true);
        Path = new DataField<string>("path", true);
        Field = new StructField(name, Bytes, Path);
    }

    public StructField Field { get; }
    public DataField<byte[]> Bytes { get; }
    public DataField<string> Path { get; }
    public string Name => Field.Name;
}

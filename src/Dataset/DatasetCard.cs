using System.Text;
using System.Text.Json.Nodes;

namespace DistDepth.Dataset;

/// <summary>
/// README.md, the dataset card: its YAML header tells Hugging Face `datasets.load_dataset(folder)` where
/// the shards are (`configs`) and what each column is (`dataset_info.features`), so the folder loads with
/// no arguments. Features are written in the YAML form of `Features._to_yaml_list` (datasets'
/// features.py), from the same declaration as the shards' own `huggingface` metadata.
/// </summary>
public static class DatasetCard
{
    public const string FileName = "README.md";
    public const string DataFiles = DatasetWriter.ShardFolder + "/*.parquet";

    /// <summary>A card someone has edited is theirs: only a folder without one gets it.</summary>
    public static void WriteIfMissing(string directory, string datasetId)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path)) AtomicFile.WriteAllText(path, Render(datasetId));
    }

    public static string Render(string datasetId)
    {
        var yaml = new StringBuilder();
        yaml.Append("---\n");
        yaml.Append($"pretty_name: {Quoted(datasetId)}\n");
        yaml.Append("configs:\n- config_name: default\n  data_files:\n  - split: train\n");
        yaml.Append($"    path: {DataFiles}\n");
        yaml.Append("dataset_info:\n  config_name: default\n  features:\n");
        var features = JsonNode.Parse(DatasetSchema.HuggingFaceFeatures())!["info"]!["features"]!.AsObject();
        foreach (var (name, feature) in features)
            yaml.Append($"  - name: {name}\n    {YamlType(name, feature!.AsObject())}\n");
        yaml.Append("---\n");
        yaml.Append($"""

            # {datasetId}

            A DistDepth stereo dataset (schema v{DatasetSchema.Version}): one row per frame, whole sequences in
            `{DatasetWriter.ShardFolder}/`, listed with their checksums in `{DatasetManifest.FileName}`.

            - `left`, `right`: PNG images; `depth`: 16-bit PNG in {DatasetSchema.DepthUnit}s (0 = invalid);
              `expert`: 16-bit PNG of relative inverse depth, once the expert stage has filled it.
            - `fx`, `fy`, `cx`, `cy`: intrinsics in pixels (pixel centres at i + 0.5); `baseline_m`: metres.
            - `pose`: the left camera's camera-to-world 3x4 matrix, row-major (y up, looking down -z): a
              Parquet list, always 12 float32 long.
            - `meta_json`: per-frame JSON; seeds in it are strings (uint64 does not survive JavaScript numbers).

            ```python
            from datasets import load_dataset
            ds = load_dataset("path/to/this/folder")
            ```

            """);
        return yaml.ToString();
    }

    // Value -> dtype; Image -> dtype: image; a list of Values -> list: <dtype> (length only when fixed).
    static string YamlType(string name, JsonObject feature) => (string?)feature["_type"] switch
    {
        "Value" => $"dtype: {feature["dtype"]}",
        "Image" => "dtype: image",
        "Sequence" or "List" when (string?)feature["feature"]?["_type"] == "Value" && feature["length"] is null =>
            $"list: {feature["feature"]!["dtype"]}",
        _ => throw new InvalidOperationException($"dataset card: no YAML form for column '{name}' ({feature.ToJsonString()})"),
    };

    static string Quoted(string s) => "'" + s.Replace("'", "''") + "'";
}

using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Parquet;
using Parquet.Schema;
using YamlDotNet.Serialization;

namespace DistDepth.Dataset.Tests;

// `datasets` is not installable here, so its rules for a folder's README.md are restated from its source
// (huggingface/datasets, src/datasets): utils/metadata.py (the YAML block, `configs`), data_files.py
// (sanitize_patterns), naming.py (split names), load.py (LocalDatasetModuleFactory), info.py and
// features/features.py (`dataset_info.features`: Features._from_yaml_list, get_nested_type), and
// packaged_modules/parquet/parquet.py (the declared features are the cast target of every table).
public class DatasetCardTests
{
    [Fact]
    public async Task CardLetsDatasetsLoadTheFolderWithNoArgumentsAndTypesMatchTheShards()
    {
        var dir = await TestData.WriteDatasetAsync("card", scenes: 2, sequences: 1, frames: 2, options: new() { TargetShardBytes = 1 });
        var manifest = DatasetManifest.Load(dir);
        Assert.True(manifest.Shards.Count > 1);
        var card = YamlBlock(File.ReadAllText(Path.Combine(dir, DatasetCard.FileName)));

        // configs (MetadataConfigs.from_dataset_card_data): a list, each with config_name; the only one is the default.
        var configs = Assert.IsType<List<object>>(card["configs"]);
        var config = Assert.IsType<Dictionary<object, object>>(Assert.Single(configs));
        Assert.Equal("default", config["config_name"]);
        // data_files (_raise_if_data_files_field_not_valid, sanitize_patterns): str, [str] or [{split, path}] with
        // exactly those two keys, the split matching naming._split_re, no split twice.
        var patterns = new Dictionary<string, List<string>>();
        foreach (var entry in Assert.IsType<List<object>>(config["data_files"]))
        {
            var item = Assert.IsType<Dictionary<object, object>>(entry);
            Assert.Equal(["path", "split"], item.Keys.Cast<string>().Order());
            var split = Assert.IsType<string>(item["split"]);
            Assert.Matches(@"^\w+(\.\w+)*$", split);
            Assert.True(patterns.TryAdd(split, item["path"] is List<object> l ? l.Cast<string>().ToList() : [(string)item["path"]]));
        }
        // Patterns are relative to the folder (DataFilesDict.from_patterns(base_path)); '*' stays within one
        // folder level (fsspec glob). They must find every shard the manifest lists and nothing else, all .parquet,
        // so infer_module_for_data_files picks the Parquet builder.
        var files = Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/')).ToList();
        var matched = files.Where(f => patterns["train"].Any(p => Glob(p).IsMatch(f))).Order().ToList();
        Assert.Equal(manifest.Shards.Select(s => s.File).Order(), matched);
        Assert.All(matched, f => Assert.EndsWith(".parquet", f));

        // dataset_info (DatasetInfosDict.from_dataset_card_data): a dict for one config, named like the config.
        var info = Assert.IsType<Dictionary<object, object>>(card["dataset_info"]);
        Assert.Equal("default", info["config_name"]);
        // features (_from_yaml_list): a list of {name, <type key>}; the type is the first key after name.
        var declared = Assert.IsType<List<object>>(info["features"]).Cast<Dictionary<object, object>>()
            .Select(f => (Name: (string)f["name"], Type: ArrowTypeOf(f.Where(kv => (string)kv.Key != "name").ToList()))).ToList();

        // The Parquet builder casts every table to the declared features' Arrow schema (table_cast), and
        // Features.from_arrow_schema keeps the shards' own `huggingface` entry only where types are equal:
        // both must name each column of the file, in order, with the Arrow type pyarrow reads from it.
        await using var shard = await ParquetReader.CreateAsync(Path.Combine(dir, manifest.Shards[0].File));
        var fileColumns = shard.Schema.Fields.Select(f => (f.Name, Type: ArrowTypeOf(f))).ToList();
        Assert.Equal(fileColumns, declared);
        var embedded = JsonNode.Parse(shard.CustomMetadata["huggingface"])!["info"]!["features"]!.AsObject()
            .Select(kv => (kv.Key, Type: ArrowTypeOf(kv.Value!.AsObject()))).ToList();
        Assert.Equal(fileColumns, embedded);
        Assert.Contains(("pose", "list<float>"), declared);
        Assert.Contains(("left", "struct<bytes: binary, path: string>"), declared);
    }

    [Fact]
    public async Task SeedsInMetaJsonAreStrings()
    {
        var dir = await TestData.WriteDatasetAsync("card-seed", scenes: 1, sequences: 1, frames: 1);
        await foreach (var frame in DatasetReader.Open(dir).ReadAllAsync())
            Assert.Equal(System.Text.Json.JsonValueKind.String, JsonNode.Parse(frame.MetaJson)!["seed"]!.GetValueKind());
    }

    [Fact]
    public async Task ACardSomeoneEditedIsKept()
    {
        var dir = TempFolder.New("card-edited");
        File.WriteAllText(Path.Combine(dir, DatasetCard.FileName), "my notes");
        await using (var writer = DatasetWriter.Open(dir))
        {
            var seq = writer.BeginSequence("room0", "room0-seq0");
            foreach (var f in new SyntheticRoom(0, 16, 16).Sequence(0, 1)) seq.Append(f);
            await seq.CompleteAsync();
        }
        Assert.Equal("my notes", File.ReadAllText(Path.Combine(dir, DatasetCard.FileName)));
    }

    // metadata._split_yaml_from_readme: the first line is '---' and the block ends at the next '---' line;
    // huggingface_hub loads it with yaml.safe_load, and datasets refuses duplicate keys (_NoDuplicateSafeLoader).
    static Dictionary<object, object> YamlBlock(string readme)
    {
        var lines = readme.Split('\n');
        Assert.Equal("---", lines[0]);
        int end = Array.IndexOf(lines, "---", 1);
        Assert.True(end > 0, "the YAML block is not closed by a '---' line");
        var yaml = string.Join('\n', lines[1..end]);
        return Assert.IsType<Dictionary<object, object>>(new DeserializerBuilder().WithDuplicateKeyChecking().Build().Deserialize<object>(yaml));
    }

    static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*\*", ".*").Replace(@"\*", "[^/]*").Replace(@"\?", "[^/]") + "$");

    // get_nested_type, from the YAML form: dtype: <Value> or image; list/sequence: <dtype> (a fixed length
    // gives fixed_size_list, which no Parquet LIST column is read as).
    static string ArrowTypeOf(List<KeyValuePair<object, object>> type)
    {
        var (key, value) = (Assert.IsType<string>(type[0].Key), Assert.IsType<string>(type[0].Value));
        var rest = type.Skip(1).ToList();
        Assert.True(rest.Count == 0 || (key is "list" or "sequence" && rest.Single().Key as string == "length"), $"unexpected keys after '{key}'");
        var length = rest.Count == 0 ? "-1" : (string)rest[0].Value;
        return key switch
        {
            "dtype" when value == "image" => "struct<bytes: binary, path: string>",
            "dtype" => ValueType(value),
            "list" or "sequence" when length == "-1" => $"list<{ValueType(value)}>",
            "list" or "sequence" => $"fixed_size_list<{ValueType(value)}, {length}>",
            _ => throw new InvalidDataException($"feature type key '{key}' is not one datasets reads"),
        };
    }

    // The same from the JSON form in the shards' `huggingface` metadata (Features.from_dict).
    static string ArrowTypeOf(JsonObject feature) => (string?)feature["_type"] switch
    {
        "Value" => ValueType((string)feature["dtype"]!),
        "Image" => "struct<bytes: binary, path: string>",
        "Sequence" or "List" when feature["length"] is null || (int)feature["length"]! == -1 => $"list<{ArrowTypeOf(feature["feature"]!.AsObject())}>",
        "Sequence" or "List" => $"fixed_size_list<{ArrowTypeOf(feature["feature"]!.AsObject())}, {feature["length"]}>",
        var t => throw new InvalidDataException($"feature _type '{t}' is not one datasets reads"),
    };

    // Value(dtype).pa_type for the dtypes the v1 schema uses.
    static string ValueType(string dtype) => dtype switch
    {
        "string" => "string", "binary" => "binary", "int32" => "int32", "int64" => "int64", "float32" => "float",
        _ => throw new InvalidDataException($"dtype '{dtype}' is not expected in the v1 schema"),
    };

    // What pyarrow reads a Parquet column as: UTF8 byte arrays as string, others as binary; a group as a
    // struct; a LIST group as a variable list.
    static string ArrowTypeOf(Field field) => field switch
    {
        DataField d when d.ClrType == typeof(string) || d.ClrType == typeof(ReadOnlyMemory<char>) => "string", // UTF8 annotated
        DataField d when d.ClrType == typeof(byte[]) || d.ClrType == typeof(ReadOnlyMemory<byte>) => "binary",
        DataField d when d.ClrType == typeof(int) => "int32",
        DataField d when d.ClrType == typeof(long) => "int64",
        DataField d when d.ClrType == typeof(float) => "float",
        StructField s => $"struct<{string.Join(", ", s.Fields.Select(f => $"{f.Name}: {ArrowTypeOf(f)}"))}>",
        ListField l => $"list<{ArrowTypeOf(l.Item)}>",
        _ => throw new InvalidDataException($"column '{field.Name}': no Arrow type restated for {field.GetType().Name}"),
    };
}

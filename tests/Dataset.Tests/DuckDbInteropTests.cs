using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace DistDepth.Dataset.Tests;

// A third-party reader must see our shards as ordinary Parquet with the v1 columns and types.
public class DuckDbInteropTests(ITestOutputHelper output)
{
    static string InteropDir([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", "tools", "duckdb"));

    public static JsonNode ReadWithDuckDb(string datasetDir)
    {
        var interop = InteropDir();
        if (!Directory.Exists(Path.Combine(interop, "node_modules", "@duckdb")))
            Run("npm", interop, "ci", "--no-audit", "--no-fund", "--silent");
        return JsonNode.Parse(Run("node", interop, "read_shards.mjs", datasetDir))!;
    }

    static string Run(string program, string workingDir, params string[] args)
    {
        var info = new ProcessStartInfo(program) { WorkingDirectory = workingDir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed: {stderr.Result}");
        return stdout.Result;
    }

    public static bool NpmAvailable() =>
        Environment.GetEnvironmentVariable("PATH")!.Split(':').Any(d => File.Exists(Path.Combine(d, "npm")));

    [Fact]
    public async Task DuckDbReadsTheShardsWithTheSchemaColumnsAndTypes()
    {
        if (!NpmAvailable())
        {
            output.WriteLine("SKIPPED: npm is not installed, so DuckDB (@duckdb/node-api) cannot be fetched");
            Console.Error.WriteLine("SKIPPED DuckDbReadsTheShardsWithTheSchemaColumnsAndTypes: npm is not installed");
            return;
        }
        var dir = await TestData.WriteDatasetAsync("duckdb", scenes: 2, sequences: 2, frames: 3);
        var result = ReadWithDuckDb(dir);

        Assert.Equal(12, (int)result["rows"]!);
        var columns = result["columns"]!.AsArray().ToDictionary(c => (string)c!["name"]!, c => (string)c!["type"]!);
        var image = "STRUCT(bytes BLOB, path VARCHAR)";
        var expected = new Dictionary<string, string>
        {
            ["dataset_id"] = "VARCHAR", ["scene_id"] = "VARCHAR", ["sequence_id"] = "VARCHAR", ["frame_index"] = "INTEGER",
            ["timestamp_ns"] = "BIGINT", ["source"] = "VARCHAR", ["left"] = image, ["right"] = image, ["depth"] = image,
            ["expert"] = image, ["width"] = "INTEGER", ["height"] = "INTEGER", ["fx"] = "FLOAT", ["fy"] = "FLOAT",
            ["cx"] = "FLOAT", ["cy"] = "FLOAT", ["baseline_m"] = "FLOAT", ["pose"] = "FLOAT[]", ["meta_json"] = "VARCHAR",
        };
        Assert.Equal(expected, columns);
        Assert.Equal(expected.Keys, columns.Keys); // and in schema order
        Assert.Contains("huggingface", result["kv"]!.AsArray().Select(k => (string)k!));
        // pose is stored as a list (what the dataset card declares); DuckDB reads 12 values in every row.
        Assert.Equal(12, (int)result["pose"]!["min_len"]!);
        Assert.Equal(12, (int)result["pose"]!["max_len"]!);
        Assert.Equal("FLOAT[12]", (string)result["pose"]!["as_array"]!);

        long imageBytes = 0;
        await foreach (var f in DatasetReader.Open(dir).ReadAllAsync()) imageBytes += f.ImageBytes;
        Assert.Equal(imageBytes, (long)result["image_bytes"]!);
    }
}

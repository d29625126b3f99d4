using System.Text.Json.Nodes;
using DistDepth.Dataset;

namespace DistDepth.Dataset.Tests;

// Each broken dataset must give one clear line naming the file and the problem, a non-zero exit, no stack trace.
public class BadInputTests
{
    static void AssertOneClearError((int Exit, string Stdout, string Stderr) result, string file, string problem)
    {
        Assert.NotEqual(0, result.Exit);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one error line, got:\n{result.Stderr}");
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(file, lines[0]);
        Assert.Contains(problem, lines[0]);
        Assert.DoesNotContain("   at ", result.Stderr + result.Stdout);
    }

    [Fact]
    public async Task TruncatedShard()
    {
        var dir = await TestData.WriteDatasetAsync("truncated");
        var shard = TestData.ShardPath(dir);
        using (var f = new FileStream(shard, FileMode.Open)) f.SetLength(f.Length / 2);
        AssertOneClearError(DistDepthCli.Run("dataset", "verify", dir), Path.GetFileName(shard), "truncated");
        AssertOneClearError(DistDepthCli.Run("dataset", "info", dir), Path.GetFileName(shard), "truncated or replaced");
    }

    [Fact]
    public async Task FlippedBytes()
    {
        var dir = await TestData.WriteDatasetAsync("flipped");
        var shard = TestData.ShardPath(dir);
        var bytes = await File.ReadAllBytesAsync(shard);
        for (int i = bytes.Length / 3; i < bytes.Length / 3 + 16; i++) bytes[i] ^= 0xFF;
        await File.WriteAllBytesAsync(shard, bytes);
        AssertOneClearError(DistDepthCli.Run("dataset", "verify", dir), Path.GetFileName(shard), "SHA-256 differs from the manifest");
    }

    [Fact]
    public async Task MissingManifest()
    {
        var dir = await TestData.WriteDatasetAsync("nomanifest");
        File.Delete(DatasetManifest.PathIn(dir));
        AssertOneClearError(DistDepthCli.Run("dataset", "verify", dir), "manifest.json", "not found");
        AssertOneClearError(DistDepthCli.Run("dataset", "info", dir), "manifest.json", "not found");
    }

    [Fact]
    public async Task WrongSchemaVersion()
    {
        var dir = await TestData.WriteDatasetAsync("version");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(DatasetManifest.PathIn(dir)))!;
        json["schema_version"] = 99;
        await File.WriteAllTextAsync(DatasetManifest.PathIn(dir), json.ToJsonString());
        AssertOneClearError(DistDepthCli.Run("dataset", "verify", dir), "manifest.json", "schema_version 99 is not supported");
    }

    [Fact]
    public async Task PngThatDoesNotDecode()
    {
        var dir = TempFolder.New("badpng");
        await using (var writer = DatasetWriter.Open(dir))
        {
            var seq = writer.BeginSequence("room0", "broken");
            var frames = new SyntheticRoom(0, 16, 16).Sequence(0, 3).ToList();
            frames[1] = frames[1] with { Right = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3] };
            frames.ForEach(seq.Append);
            await seq.CompleteAsync();
        }
        AssertOneClearError(DistDepthCli.Run("dataset", "verify", dir), Path.GetFileName(TestData.ShardPath(dir)),
            "row 1 (sequence 'broken', frame 1), column right: not a PNG");
    }

    [Fact]
    public void NoSuchFolder() =>
        AssertOneClearError(DistDepthCli.Run("dataset", "info", "/nonexistent/dataset"), "/nonexistent/dataset", "no such dataset folder");
}

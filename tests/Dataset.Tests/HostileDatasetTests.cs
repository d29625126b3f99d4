using System.Text.Json.Nodes;
using DistDepth.Dataset;

namespace DistDepth.Dataset.Tests;

// Issue 12, the dataset side: careless or hostile folders and manifests must give one clear line and
// leave every file that is not the dataset's own untouched.
public class HostileDatasetTests
{
    static void AssertOneClearError((int Exit, string Stdout, string Stderr) result, params string[] expected)
    {
        Assert.Equal(1, result.Exit);
        var lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one error line, got:\n{result.Stderr}");
        foreach (var text in expected) Assert.Contains(text, lines[0]);
        Assert.DoesNotContain("unexpected", result.Stderr);
    }

    static void EditManifest(string dir, Action<JsonNode> edit)
    {
        var json = JsonNode.Parse(File.ReadAllText(DatasetManifest.PathIn(dir)))!;
        edit(json);
        File.WriteAllText(DatasetManifest.PathIn(dir), json.ToJsonString());
    }

    // Finding 1: simgen on a folder without manifest.json used to delete every file in its shards/.
    [Fact]
    public void SimgenRefusesAFolderHoldingSomeoneElsesFiles()
    {
        var dir = TempFolder.New("foreign");
        Directory.CreateDirectory(Path.Combine(dir, "shards"));
        File.WriteAllText(Path.Combine(dir, "shards", "important.txt"), "keep");
        AssertOneClearError(DistDepthCli.Run("simgen", "--scenes", "procedural:1", "--sequences-per-scene", "1", "--frames", "3",
            "--width", "32", "--height", "32", "--out", dir, "--workers", "1"), dir, "not empty and not a dataset");
        Assert.Equal("keep", File.ReadAllText(Path.Combine(dir, "shards", "important.txt")));
    }

    [Fact]
    public async Task AWriterResumingADatasetRemovesOnlyItsOwnLeftovers()
    {
        var dir = await TestData.WriteDatasetAsync("leftovers", scenes: 1, sequences: 1);
        var notes = Path.Combine(dir, "shards", "notes.txt");
        var ownTemp = Path.Combine(dir, "shards", "shard-00007.parquet.tmp");
        File.WriteAllText(notes, "mine");
        File.WriteAllText(ownTemp, "half a shard");
        await using (DatasetWriter.Open(dir)) { }
        Assert.True(File.Exists(notes), "a file the writer did not make was deleted");
        Assert.False(File.Exists(ownTemp), "the writer's own temp shard was left behind");
    }

    // Finding 9: deleting the lock file after unlocking lets two later writers lock two different inodes.
    [Fact]
    public async Task TheWriterLockFileIsNeverDeleted()
    {
        var dir = await TestData.WriteDatasetAsync("lock", scenes: 1, sequences: 1);
        var lockFile = Path.Combine(dir, ".writer.lock");
        await using (DatasetWriter.Open(dir))
            Assert.Throws<IOException>(() => DatasetWriter.Open(dir));
        Assert.True(File.Exists(lockFile), "the writer deleted its lock file");
        using (DatasetRewriter.Open(dir)) { }
        Assert.True(File.Exists(lockFile), "the rewriter deleted the lock file");
        // And through the CLI: a resumed writer and the expert stage's rewriter leave it in place too.
        Assert.Equal(0, DistDepthCli.Run("dataset", "synth", "--out", dir, "--scenes", "1", "--sequences-per-scene", "1", "--frames", "3", "--size", "32").Exit);
        Assert.Equal(0, DistDepthCli.Run("expert", dir, "--expert", "sim-oracle").Exit);
        Assert.True(File.Exists(lockFile), "a CLI run deleted the lock file");
    }

    // Finding 2: a shard entry pointing into another dataset made `expert` rewrite and delete the victim's shard.
    [Fact]
    public async Task ShardPathsThatLeaveTheDatasetAreRefusedByEveryVerb()
    {
        var victim = await TestData.WriteDatasetAsync("victim", scenes: 1, sequences: 1);
        var before = TreeHash.Of(victim);
        var victimShard = DatasetManifest.Load(victim).Shards[0];
        var escapes = new[]
        {
            $"../{Path.GetFileName(victim)}/{victimShard.File}",
            Path.Combine(victim, victimShard.File),
            "shards/../../x.parquet",
        };
        foreach (var file in escapes)
        {
            var attacker = await TestData.WriteDatasetAsync("attacker", scenes: 1, sequences: 1); // a sibling of victim
            EditManifest(attacker, m => m["shards"]![0]!["file"] = file);
            foreach (var verb in Verbs(attacker))
                AssertOneClearError(DistDepthCli.Run(verb), "manifest.json", "shards[0].file", "must stay inside the dataset folder");
        }
        Assert.Equal(before, TreeHash.Of(victim));
    }

    [Fact]
    public async Task AShardThatIsASymlinkOutOfTheDatasetIsRefused()
    {
        var victim = await TestData.WriteDatasetAsync("symvictim", scenes: 1, sequences: 1);
        var before = TreeHash.Of(victim);
        var attacker = await TestData.WriteDatasetAsync("symattacker", scenes: 1, sequences: 1);
        var shard = TestData.ShardPath(attacker);
        File.Delete(shard);
        File.CreateSymbolicLink(shard, TestData.ShardPath(victim));
        foreach (var verb in Verbs(attacker))
            AssertOneClearError(DistDepthCli.Run(verb), "resolves outside the dataset folder");
        Assert.Equal(before, TreeHash.Of(victim));
    }

    static IEnumerable<string[]> Verbs(string dir) =>
    [
        ["dataset", "info", dir],
        ["dataset", "verify", dir],
        ["dataset", "export", dir, "--sequence", "room0-seq0", "--out", Path.Combine(dir, "export")],
        ["dataset", "merge", dir, "--out", dir + "-merged"],
        ["expert", dir, "--expert", "sim-oracle"],
        ["curate", dir],
    ];

    // Finding 5: a small PNG declaring a huge size made verify, curate and export allocate gigabytes.
    [Theory]
    [InlineData(20000)]
    [InlineData(100000)]
    public async Task APngDeclaringAnotherSizeIsOneLineNamingShardRowAndColumn(int side)
    {
        var dir = TempFolder.New("bomb");
        await using (var writer = DatasetWriter.Open(dir))
        {
            var seq = writer.BeginSequence("room0", "room0-seq0");
            var frames = new SyntheticRoom(0, 32, 32).Sequence(0, 4).ToList();
            frames[2] = frames[2] with { Left = DeclaringSize(frames[2].Left, side) };
            frames.ForEach(seq.Append);
            await seq.CompleteAsync();
        }
        var shard = Path.GetFileName(TestData.ShardPath(dir));
        string[] where = [shard, "row 2", "column left", $"declares {side}x{side}, the row says 32x32"];
        AssertOneClearError(DistDepthCli.Run("dataset", "verify", dir), where);
        AssertOneClearError(DistDepthCli.Run("dataset", "export", dir, "--sequence", "room0-seq0", "--out", Path.Combine(dir, "x")), where);
        AssertOneClearError(DistDepthCli.Run("curate", dir), where);
    }

    // A real PNG whose IHDR is rewritten to declare another size (what a decompression bomb looks like up front).
    static byte[] DeclaringSize(byte[] png, int side)
    {
        var bomb = (byte[])png.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bomb.AsSpan(16), side);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bomb.AsSpan(20), side);
        return bomb;
    }

    // Finding 6: each of these crashed every verb (NullReference, OutOfMemory, IndexOutOfRange naming no file).
    [Theory]
    [InlineData("shards", "[null]", "shards[0] is null")]
    [InlineData("frames", "2147483647", "shards[0].sequences[0].frames is 2147483647")]
    [InlineData("row_groups", "-3", "shards[0].sequences[0].row_groups is -3")]
    [InlineData("row_groups", "2147483647", "shards[0].sequences[0].row_groups is 2147483647")]
    [InlineData("first_row_group", "99", "shards[0].sequences[0].first_row_group is 99")]
    public async Task ABadManifestFieldIsOneLineNamingIt(string field, string value, string message)
    {
        var dir = await TestData.WriteDatasetAsync("badfield", scenes: 1, sequences: 2);
        EditManifest(dir, m =>
        {
            if (field == "shards") m["shards"] = JsonNode.Parse(value);
            else m["shards"]![0]!["sequences"]![0]![field] = JsonNode.Parse(value);
        });
        foreach (var verb in Verbs(dir))
            AssertOneClearError(DistDepthCli.Run(verb), "manifest.json", message);
    }

    // Finding 7: train and export read shards without checking them; a flipped bit trained a whole epoch.
    [Fact]
    public async Task TrainAndExportRefuseAShardWhoseBytesChanged()
    {
        var dir = await TestData.WriteDatasetAsync("flip", scenes: 1, sequences: 2, frames: 4, size: 64);
        var shard = TestData.ShardPath(dir);
        using (var f = new FileStream(shard, FileMode.Open)) { f.Position = f.Length / 2; var b = f.ReadByte(); f.Position--; f.WriteByte((byte)(b ^ 0x10)); }
        AssertOneClearError(DistDepthCli.Run("train", "--data", dir, "--out", Path.Combine(dir, "run"), "--no-distill",
            "--width", "64", "--height", "64", "--batch-size", "2", "--max-steps", "2", "--encoder", "18", "--pose-encoder", "18"),
            Path.GetFileName(shard), "SHA-256 differs from the manifest");
        AssertOneClearError(DistDepthCli.Run("dataset", "export", dir, "--sequence", "room0-seq0", "--out", Path.Combine(dir, "x")),
            Path.GetFileName(shard), "SHA-256 differs from the manifest");
    }
}

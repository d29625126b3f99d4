using System.Security.Cryptography;
using System.Text.Json.Nodes;
using DistDepth.Dataset;
using Xunit.Abstractions;

namespace DistDepth.SimBridge.Tests;

/// <summary>Issue 19: the new interiors and camera effects leave a way to today's exact output, for depth checks
/// and for remaking older datasets: `procedural-v1:N` with `--shading flat`.</summary>
public sealed class FirstRoomsTests(ITestOutputHelper log)
{
    /// <summary>SHA-256 of the decoded pixels (left, right, depth of every frame, sequences in id order) of
    /// `distdepth simgen --scenes procedural:2 --sequences-per-scene 1 --frames 4 --width 64 --height 48 --workers 1
    /// --shading flat` built from commit 9f8e6a6, the last before issue 19 (computed there with this file's <see cref="PixelDigest"/>).</summary>
    const string BeforeIssue19 = "3a673c6f9aa7b17a9e6977cfe057555f2e34107c37b6bc27012ac513fa6cd794";

    static string[] Simgen(string scenes, string output, params string[] extra) =>
        ["simgen", "--scenes", scenes, "--sequences-per-scene", "1", "--frames", "4", "--width", "64", "--height", "48", "--workers", "1", "--out", output, .. extra];

    [Fact]
    public async Task FirstRoomsWithFlatShadingAreThePixelsSimgenWroteBeforeIssue19()
    {
        var dir = Path.Combine(TempFolder.New("first-rooms"), "data");
        var (exit, stdout, stderr) = DistDepthCli.Run(Simgen("procedural-v1:2", dir, "--shading", "flat"));
        log.WriteLine(stdout + stderr);
        Assert.Equal(0, exit);
        Assert.Equal(BeforeIssue19, await PixelDigest(dir));
        var reader = DatasetReader.Open(dir);
        var frame = (await reader.ReadSequenceAsync(reader.Sequences.First().SequenceId))[0];
        Assert.Null(JsonNode.Parse(frame.MetaJson)!["camera"]);
    }

    [Fact]
    public async Task DefaultShadingRecordsEachSequencesCameraInItsFrames()
    {
        var dir = Path.Combine(TempFolder.New("camera-meta"), "data");
        var (exit, stdout, stderr) = DistDepthCli.Run(Simgen("procedural-v1:2", dir));
        log.WriteLine(stdout + stderr);
        Assert.Equal(0, exit);
        var reader = DatasetReader.Open(dir);
        var cameras = new List<string>();
        foreach (var sequence in reader.Sequences)
        {
            var frames = await reader.ReadSequenceAsync(sequence.SequenceId);
            var camera = frames.Select(f => JsonNode.Parse(f.MetaJson)!["camera"]!.ToJsonString()).Distinct().ToList();
            cameras.Add(Assert.Single(camera)); // one camera per sequence
        }
        Assert.Equal(cameras.Count, cameras.Distinct().Count()); // and each sequence its own
        Assert.NotEqual(BeforeIssue19, await PixelDigest(dir));
    }

    public static async Task<string> PixelDigest(string datasetDir)
    {
        var reader = DatasetReader.Open(datasetDir);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var sequence in reader.Sequences.OrderBy(s => s.SequenceId, StringComparer.Ordinal))
        foreach (var frame in await reader.ReadSequenceAsync(sequence.SequenceId))
        {
            sha.AppendData(ImageCodec.DecodeRgb(frame.Left).Pixels);
            sha.AppendData(ImageCodec.DecodeRgb(frame.Right!).Pixels);
            sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(ImageCodec.DecodeUInt16(frame.Depth!, out _, out _).AsSpan()));
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}

using System.Text.Json.Nodes;
using DistDepth.Cli.Commands;
using DistDepth.Dataset;
using DistDepth.SimServer.Service;

namespace DistDepth.SimBridge.Tests;

public class SimGenTests
{
    [Fact]
    public async Task ThreeScenesTwoSequencesThirtyFramesVerifyWithSimSinGeometry()
    {
        var dir = TempFolder.New("simgen");
        var options = new SimGenOptions { SequencesPerScene = 2, Frames = 30 };
        var plan = GenerationPlan.Build(SceneList.Expand(["procedural:3"]), options);
        var summary = await SimGenCommand.RunAsync(plan, options, dir, new DatasetWriterOptions(), [], default);

        Assert.Equal((6, 180L), (summary.Generated, summary.Frames));
        Assert.True((await DatasetVerifier.VerifyAsync(dir)).Ok);
        var reader = DatasetReader.Open(dir);
        Assert.Equal(plan.Select(j => j.SequenceId).Order(), reader.Sequences.Select(s => s.SequenceId).Order());
        foreach (var job in plan)
        {
            var frames = await reader.ReadSequenceAsync(job.SequenceId);
            Assert.Equal(Enumerable.Range(0, 30), frames.Select(f => f.FrameIndex));
            Assert.All(frames, f =>
            {
                Assert.Equal((512, 512), (f.Width, f.Height));
                Assert.Equal(0.1312f, f.BaselineM, 1e-6f);
                Assert.Equal(new CameraIntrinsics(256, 256, 256, 256), f.Intrinsics);
                Assert.NotNull(f.Right);
                Assert.NotNull(f.Depth);
                AssertRotation(f.Pose);
                // The left camera rides camera_height above the floor (y = 0 in procedural rooms), with small jitter.
                Assert.InRange(f.Pose[7], job.CameraHeightM - 0.15f, job.CameraHeightM + 0.15f);
                Assert.Equal(job.SceneId, (string?)JsonNode.Parse(f.MetaJson)!["scene"]);
            });
            // Consecutive poses follow a walk: small steps, no teleports.
            for (int i = 1; i < frames.Count; i++)
                Assert.InRange(Distance(frames[i - 1].Pose, frames[i].Pose), 0, 0.35);
            Assert.True(Distance(frames[0].Pose, frames[^1].Pose) > 0.3, "the agent moved");
        }
    }

    static void AssertRotation(float[] p)
    {
        for (int r = 0; r < 3; r++)
        {
            float norm = p[4 * r] * p[4 * r] + p[4 * r + 1] * p[4 * r + 1] + p[4 * r + 2] * p[4 * r + 2];
            Assert.Equal(1f, norm, 1e-3f);
        }
    }

    static double Distance(float[] a, float[] b) =>
        Math.Sqrt(Math.Pow(a[3] - b[3], 2) + Math.Pow(a[7] - b[7], 2) + Math.Pow(a[11] - b[11], 2));

    [Fact]
    public async Task AServerKilledMidStreamIsSurvivedAndItsSequenceRegenerated()
    {
        await using var survivor = await SimulatorHost.StartAsync();
        using var doomed = ServerProcess.Start();
        var dir = TempFolder.New("killed");
        var options = new SimGenOptions { SequencesPerScene = 3, Frames = 20, Width = 96, Height = 96, Workers = 1 };
        var plan = GenerationPlan.Build(SceneList.Expand(["procedural:1"]), options);
        long seen = 0;
        // The single worker starts on the doomed server; kill it once frames are flowing.
        var progress = new SyncProgress(n => { if (Interlocked.Add(ref seen, n) >= 5) doomed.Kill(); });
        await using var writer = DatasetWriter.Open(dir);
        var summary = await new SimGenerator(options, [doomed.Address, survivor.Address]).RunAsync(plan, writer, progress);

        Assert.True(summary.Retries >= 1, "the kill did not interrupt a sequence");
        Assert.Equal(3, summary.Generated);
        await writer.FlushAsync();
        var manifest = DatasetManifest.Load(dir);
        Assert.All(manifest.Sequences, s => Assert.Equal(20, s.Frames));
        Assert.Equal(3, manifest.Sequences.Select(s => s.SequenceId).Distinct().Count());
        Assert.True((await DatasetVerifier.VerifyAsync(dir)).Ok);
    }

    [Fact]
    public async Task ArrayJobSlicesMergeIntoTheWholePlan()
    {
        var options = new SimGenOptions { SequencesPerScene = 1, Frames = 4, Width = 48, Height = 48 };
        var plan = GenerationPlan.Build(SceneList.Expand(["procedural:4"]), options);
        var parts = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            var part = TempFolder.New($"part{i}");
            await SimGenCommand.RunAsync(GenerationPlan.Slice(plan, i, 3), options, part,
                new DatasetWriterOptions { ShardPrefix = $"part{i:D3}" }, [], default);
            parts.Add(part);
        }
        var merged = Path.Combine(TempFolder.New("merged"), "all");
        DatasetMerger.Merge(parts, merged);
        Assert.True((await DatasetVerifier.VerifyAsync(merged)).Ok);
        Assert.Equal(plan.Select(j => j.SequenceId).Order(), DatasetManifest.Load(merged).Sequences.Select(s => s.SequenceId).Order());
    }
}

/// <summary>Progress that reports on the caller's thread (System.Progress posts to the thread pool, too late to kill on time).</summary>
internal sealed class SyncProgress(Action<long> report) : IProgress<long>
{
    public void Report(long value) => report(value);
}

public class SkippedSequenceTests
{
    // A closed box: a floor to walk on, but no open side to look out of into the void.
    static string ClosedRoom()
    {
        var path = Path.Combine(TempFolder.New("closed"), "closed-room.ply");
        float[][] v = [[0, 0, 0], [4, 0, 0], [4, 0, 4], [0, 0, 4], [0, 2.5f, 0], [4, 2.5f, 0], [4, 2.5f, 4], [0, 2.5f, 4]];
        int[][] faces = [[0, 2, 1], [0, 3, 2], [4, 5, 6], [4, 6, 7], [0, 1, 5], [0, 5, 4], [1, 2, 6], [1, 6, 5], [2, 3, 7], [2, 7, 6], [3, 0, 4], [3, 4, 7]];
        var lines = new List<string> { "ply", "format ascii 1.0", $"element vertex {v.Length}", "property float x", "property float y", "property float z",
            "property uchar red", "property uchar green", "property uchar blue", $"element face {faces.Length}", "property list uchar int vertex_indices", "end_header" };
        lines.AddRange(v.Select((p, i) => $"{p[0]} {p[1]} {p[2]} {60 + 20 * i} {200 - 15 * i} {100 + 10 * i}"));
        lines.AddRange(faces.Select(f => $"3 {f[0]} {f[1]} {f[2]}"));
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public async Task ASequenceTheSceneCannotGiveIsSkippedAndTheRunGoesOn()
    {
        var scene = ClosedRoom();
        var options = new SimGenOptions { Frames = 3, Width = 32, Height = 32 };
        SequenceJob Job(int k, Sim.V1.TrajectoryMode mode) => new(scene, 0, k, $"closed-seq{k}", (ulong)k + 1, mode, 1.3f, (0, 0, 0));
        var dir = TempFolder.New("skip");
        await using var host = await SimServer.Service.SimulatorHost.StartAsync(new SimServer.Service.SimulatorHostOptions(NamedSceneFiles: [scene]));
        await using var writer = Dataset.DatasetWriter.Open(dir);
        var summary = await new SimGenerator(options, [host.Address]).RunAsync(
            [Job(0, Sim.V1.TrajectoryMode.LookIntoVoid), Job(1, Sim.V1.TrajectoryMode.Navigate)], writer);

        Assert.Equal(1, summary.Generated);
        var (id, reason) = Assert.Single(summary.Skipped);
        Assert.Equal("closed-seq0", id);
        Assert.False(string.IsNullOrWhiteSpace(reason));
        Assert.True(writer.Contains("closed-seq1"));
    }
}

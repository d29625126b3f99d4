using System.Buffers.Binary;
using DistDepth.Cli.Commands;
using DistDepth.Dataset;
using DistDepth.Sim.V1;
using DistDepth.SimBridge;

namespace DistDepth.SimProtocol.Tests;

public sealed class HabitatSimGenTests(HabitatServer server) : IClassFixture<HabitatServer>
{
    [Fact]
    public async Task SimGenAgainstTheHabitatServerWritesADatasetThatVerifies()
    {
        var dir = TempFolder.New("habitat-simgen");
        var options = new SimGenOptions { SequencesPerScene = 3, Frames = 8, Width = 64, Height = 64, FailingFraction = 0.5 };
        var plan = GenerationPlan.Build(SceneList.Expand([server.SceneId]), options);
        var summary = await SimGenCommand.RunAsync(plan, options, dir, new DatasetWriterOptions(), [$"127.0.0.1:{server.Port}"], default);

        Assert.Equal((3, 24L), (summary.Generated, summary.Frames));
        var report = await DatasetVerifier.VerifyAsync(dir);
        Assert.True(report.Ok, string.Join("; ", report.Problems));
        Assert.Contains(plan, j => j.Mode != TrajectoryMode.Navigate); // a failure mode went through habitat too
    }
}

/// <summary>Issue 13's acceptance: simgen's workers, one per server process, over several scenes,
/// with camera heights varying per sequence and one change of rig size between two runs.</summary>
public sealed class HabitatServerProcessesSimGenTests(HabitatServerPair servers) : IClassFixture<HabitatServerPair>
{
    [Fact]
    public async Task TwoWorkersOnTwoProcessesMakeOneSimulatorEachPlusOnePerRigSize()
    {
        string[] addresses = [$"127.0.0.1:{servers.Port}", $"127.0.0.1:{servers.Port + 1}"];
        foreach (var (width, height) in new[] { (48, 40), (32, 24) })
        {
            var options = new SimGenOptions { SequencesPerScene = 2, Frames = 4, Width = width, Height = height, Workers = 2 };
            var plan = GenerationPlan.Build(SceneList.Expand(servers.SceneIds), options);
            Assert.True(plan.Select(j => j.CameraHeightM).Distinct().Count() == plan.Count, "every sequence has its own camera height");
            var dir = TempFolder.New("habitat-processes");
            var summary = await SimGenCommand.RunAsync(plan, options, dir, new DatasetWriterOptions(), addresses, default);

            Assert.Equal((plan.Count, plan.Count * 4L), (summary.Generated, summary.Frames));
            var report = await DatasetVerifier.VerifyAsync(dir);
            Assert.True(report.Ok, string.Join("; ", report.Problems));
            var frames = 0;
            await foreach (var frame in DatasetReader.Open(dir).ReadAllAsync())
            {
                frames++;
                Assert.Equal((width, height), (frame.Width, frame.Height));
                foreach (var image in new[] { frame.Left, frame.Right!, frame.Depth! })
                    Assert.Equal((width, height), PngSize(image));
            }
            Assert.Equal(plan.Count * 4, frames);
        }
        // Each process: one Simulator at its first scene (the default 512x512 rig), one more when the first
        // run's size arrived and one when the second's did; none for the scenes, sessions or camera heights.
        var events = servers.Events();
        Assert.Equal(2, events.Count);
        Assert.All(events, lines => Assert.Equal(3, lines.Count(l => l == "simulator")));
        Assert.All(events, lines => Assert.True(lines.Count(l => l.StartsWith("scene ")) > 1, "a process switched scenes"));
    }

    static (int, int) PngSize(byte[] png) =>
        ((int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(16)), (int)BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(20)));
}

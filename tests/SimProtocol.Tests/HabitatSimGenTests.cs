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

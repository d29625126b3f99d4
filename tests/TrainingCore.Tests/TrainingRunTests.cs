using DistDepth.TrainingCore.Training;

namespace DistDepth.TrainingCore.Tests;

public class TrainingRunTests
{
    static TrainingOptions Tiny => TrainingOptions.Paper with
    {
        Width = 64, Height = 64, BatchSize = 2, DepthEncoderLayers = 18, PoseEncoderLayers = 18,
    };

    static string[] TrainArgs(string data, string run, int steps) =>
    [
        "train", "--data", data, "--out", run, "--width", "64", "--height", "64", "--batch-size", "2", "--encoder", "18",
        "--pose-encoder", "18", "--max-steps", steps.ToString(), "--checkpoint-every", "1", "--preview-every", "100", "--threads", "1",
    ];

    [Fact]
    public async Task KilledTrainingResumesToTheSameWeightsAsAStraightRun()
    {
        const int Steps = 8;
        var data = await TestDatasets.WriteAsync("resume-data", sequences: 2, frames: 8, size: 64);
        var straight = Path.Combine(TestDatasets.Folder("resume-straight"), "run");
        var killed = Path.Combine(TestDatasets.Folder("resume-killed"), "run");

        using (var child = DistDepthCli.Start(TrainArgs(data, straight, Steps)))
            await Cli.ExpectSuccess(child);

        using (var child = DistDepthCli.Start(TrainArgs(data, killed, Steps)))
        {
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (CheckpointStep(killed) < Steps / 2)
            {
                if (child.HasExited) Assert.Fail($"train ended before the kill: {child.StandardError.ReadToEnd()}");
                Assert.True(DateTime.UtcNow < deadline, "no checkpoint in time");
                await Task.Delay(5);
            }
            child.Kill();   // SIGKILL: no chance to save anything
            await child.WaitForExitAsync();
        }
        long atKill = CheckpointStep(killed);
        Assert.InRange(atKill, Steps / 2, Steps - 1);

        using (var child = DistDepthCli.Start(["train", "--data", data, "--out", killed, "--resume", "--threads", "1"]))
            await Cli.ExpectSuccess(child);

        Assert.Equal(Steps, CheckpointStep(killed));
        Assert.Equal(File.ReadAllBytes(Checkpoint.PathIn(straight)), File.ReadAllBytes(Checkpoint.PathIn(killed)));
        var curve = File.ReadAllLines(Path.Combine(killed, LossHistory.CsvName));
        Assert.Equal(Steps + 1, curve.Length);
        Assert.Equal(File.ReadAllLines(Path.Combine(straight, LossHistory.CsvName)).Select(LossesOnly), curve.Select(LossesOnly));
        Assert.True(File.Exists(Path.Combine(killed, LossHistory.PlotName)));
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(killed, "events")));
    }

    [Fact]
    public async Task CtrlCSavesACheckpointAndExitsWith130()
    {
        var data = await TestDatasets.WriteAsync("sigint-data", sequences: 2, frames: 8, size: 64);
        var run = Path.Combine(TestDatasets.Folder("sigint"), "run");
        using var child = DistDepthCli.Start([.. TrainArgs(data, run, 500)[..^6], "--checkpoint-every", "2", "--preview-every", "100"]);
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (CheckpointStep(run) < 2)
        {
            Assert.False(child.HasExited, "train ended before the interrupt");
            Assert.True(DateTime.UtcNow < deadline, "no checkpoint in time");
            await Task.Delay(20);
        }
        using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", child.Id.ToString()])) await kill.WaitForExitAsync();
        var stdout = child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        Assert.Equal(130, child.ExitCode);
        Assert.Contains("interrupted", await stdout);
        Assert.InRange(CheckpointStep(run), 2, 499);
    }

    // The stall column is a timing, the rest must match exactly.
    static string LossesOnly(string line) => string.Join(',', line.Split(',')[..6]);

    static long CheckpointStep(string run)
    {
        try
        {
            using var reader = Checkpoint.Open(run, out long step);
            return step;
        }
        catch (FileNotFoundException) { return -1; }
        catch (DirectoryNotFoundException) { return -1; }
    }

    [Fact]
    public async Task NanLossStopsNamingTheStepAndKeepsTheLastGoodCheckpoint()
    {
        // Adam moves every weight by about lr per step: at 1e30 the activations overflow and the
        // second step's loss is NaN, as a diverging run's would be.
        var data = await TestDatasets.WriteAsync("nan-data", sequences: 2, frames: 8, size: 64);
        var run = Path.Combine(TestDatasets.Folder("nan-run"), "run");
        var training = TrainingRun.Create(run, new RunSettings(data, Tiny with { BatchSize = 1, LearningRate = 1e30 }, MaxSteps: 12, CheckpointEvery: 1, PreviewEvery: 100),
            TrainingSelection.All);
        var e = await Assert.ThrowsAsync<TrainingDivergedException>(() => training.RunAsync(null, null, CancellationToken.None));
        var failed = System.Text.RegularExpressions.Regex.Match(e.Message, @"^step (\d+): the loss is NaN \(photometric .*\) on room0\d-seq00#\d+; training stopped, ");
        Assert.True(failed.Success, e.Message);
        long step = long.Parse(failed.Groups[1].Value);
        Assert.InRange(step, 2, 12);
        Assert.EndsWith($"the last good checkpoint {Checkpoint.PathIn(run)} is from step {step - 1}", e.Message);
        using var reader = Checkpoint.Open(run, out long saved);
        Assert.Equal(step - 1, saved);
    }
}

using System.CommandLine;
using DistDepth.TrainingCore;
using DistDepth.TrainingCore.Losses;
using DistDepth.TrainingCore.Networks;
using DistDepth.TrainingCore.Training;
using Spectre.Console;

namespace DistDepth.Cli.Commands;

/// <summary>`distdepth train`: DistDepth on a dataset, with checkpoints, previews and TensorBoard logs in the run folder.</summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var paper = TrainingOptions.Paper;
        var data = new Option<string>("--data") { Description = "Dataset folder (with the expert column unless --no-distill)", Required = true };
        var output = new Option<string>("--out") { Description = "Run folder: run.json, checkpoint.bin, previews/, events/ (TensorBoard), loss.png", Required = true };
        var preset = new Option<string>("--preset") { Description = "paper (Adam 2e-4, batch 24, decay at epochs 8, 10) or code (AdamW 1e-4, batch 15, decay at 8)", DefaultValueFactory = _ => "paper" };
        preset.AcceptOnlyFromAmong("paper", "code");
        var width = new Option<int>("--width") { DefaultValueFactory = _ => paper.Width };
        var height = new Option<int>("--height") { DefaultValueFactory = _ => paper.Height };
        var batch = new Option<int?>("--batch-size") { Description = "Default: the preset's" };
        var epochs = new Option<int?>("--epochs") { Description = "Default: the preset's (10)" };
        var lr = new Option<double?>("--lr") { Description = "Default: the preset's" };
        var maxSteps = new Option<long?>("--max-steps") { Description = "Stop after this many steps" };
        var encoder = new Option<int>("--encoder") { Description = "DepthNet ResNet depth: 18, 34, 50, 101 or 152", DefaultValueFactory = _ => paper.DepthEncoderLayers };
        var poseEncoder = new Option<int>("--pose-encoder") { Description = "PoseNet ResNet depth", DefaultValueFactory = _ => paper.PoseEncoderLayers };
        var encoderWeights = new Option<string?>("--encoder-weights")
        {
            Description = "Both encoders' start: imagenet (ML.NET's ImageNet ResNet-18, bundled; the default for --encoder 18 --pose-encoder 18), " +
                          "FILE.pth (a torchvision ResNet-18/34/50/101/152 state dict, as monodepth2 starts) or none (random)",
        };
        var noDistill = new Option<bool>("--no-distill") { Description = "w_dist = 0: the monodepth2-style baseline, no expert needed" };
        var distillWeight = new Option<double?>("--distill-weight") { Description = "w_dist (default: the revision's, 0.05 latest, 1.0 early)" };
        var distillRevision = new Option<string>("--distill-revision")
        {
            Description = "latest (least-squares scale and shift per image, spatial coefficient 0.02) or early (median scaling, w_dist 1, spatial 0.001)",
            DefaultValueFactory = _ => "latest",
        };
        distillRevision.AcceptOnlyFromAmong("latest", "early");
        var seed = new Option<int>("--seed") { DefaultValueFactory = _ => 0 };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Steps between checkpoints", DefaultValueFactory = _ => 500 };
        var previewEvery = new Option<int>("--preview-every") { Description = "Steps between preview PNGs", DefaultValueFactory = _ => 500 };
        var exclude = new Option<string[]>("--exclude-scenes") { Description = "Scene ids kept out of training (held out for evaluate --scenes)", AllowMultipleArgumentsPerToken = true };
        var threads = new Option<int?>("--threads") { Description = "torch intra-op threads (default: libtorch's, one per core)" };
        var resume = new Option<bool>("--resume") { Description = "Continue the run in --out exactly where its checkpoint left it (its run.json wins over other flags)" };
        var command = new Command("train", "Train DistDepth (DepthNet + PoseNet, stereo + temporal photometric loss, expert distillation)")
        {
            data, output, preset, width, height, batch, epochs, lr, maxSteps, encoder, poseEncoder, encoderWeights, noDistill, distillWeight, distillRevision, seed,
            checkpointEvery, previewEvery, exclude, threads, resume,
        };
        command.SetAction((p, ct) => CommandRunner.RunAsync(async ct =>
        {
            var dir = p.GetValue(output)!;
            if (p.GetValue(threads) is int n) TorchSharp.torch.set_num_threads(n);
            var selection = TrainingData.Selection(p.GetValue(data)!);
            TrainingRun run;
            if (p.GetValue(resume)) run = TrainingRun.Resume(dir, selection);
            else
            {
                var options = (p.GetValue(preset) == "code" ? TrainingOptions.Code : paper) with
                {
                    Width = p.GetValue(width), Height = p.GetValue(height), DepthEncoderLayers = p.GetValue(encoder), PoseEncoderLayers = p.GetValue(poseEncoder),
                };
                options = options with { EncoderWeights = EncoderWeightsFor(p.GetValue(encoderWeights), options) };
                options = options with
                {
                    BatchSize = p.GetValue(batch) ?? options.BatchSize, Epochs = p.GetValue(epochs) ?? options.Epochs,
                    LearningRate = p.GetValue(lr) ?? options.LearningRate,
                    Loss = p.GetValue(noDistill) ? options.Loss.WithoutDistillation() : Distillation(options.Loss, p.GetValue(distillRevision)!, p.GetValue(distillWeight)),
                };
                Validate(options, p.GetValue(checkpointEvery), p.GetValue(previewEvery));
                run = TrainingRun.Create(dir, new RunSettings(p.GetValue(data)!, options, p.GetValue(seed), p.GetValue(maxSteps),
                    p.GetValue(checkpointEvery), p.GetValue(previewEvery), p.GetValue(exclude) ?? []), selection);
            }
            return await RunAsync(run, ct);
        }, ct));
        return command;
    }

    /// <summary>imagenet where it applies (both encoders ResNet-18, weights beside the program), else none; a file becomes its full path.</summary>
    static string EncoderWeightsFor(string? given, TrainingOptions o)
    {
        bool bothResnet18 = o.DepthEncoderLayers == 18 && o.PoseEncoderLayers == 18;
        if (given is null)
        {
            if (bothResnet18 && File.Exists(ImageNetResnet18Encoder.BundledModel)) return EncoderWeights.ImageNet;
            AnsiConsole.MarkupLine(bothResnet18
                ? $"[yellow]no ImageNet weights at {Markup.Escape(ImageNetResnet18Encoder.BundledModel)}[/]: encoders start from random weights"
                : "encoders start from random weights (imagenet is a ResNet-18; pass --encoder-weights FILE.pth for a torchvision state dict)");
            return EncoderWeights.None;
        }
        if (given == EncoderWeights.None) return given;
        if (given == EncoderWeights.ImageNet)
        {
            if (!bothResnet18)
                throw new ArgumentException($"--encoder-weights imagenet: a ResNet-18, but --encoder {o.DepthEncoderLayers} --pose-encoder {o.PoseEncoderLayers}; pass 18 for both, a torchvision FILE.pth or none");
            if (!File.Exists(ImageNetResnet18Encoder.BundledModel))
                throw new FileNotFoundException($"{ImageNetResnet18Encoder.BundledModel}: not found; the build copies it from the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 (rebuild src/Cli)");
            return given;
        }
        if (!File.Exists(given)) throw new FileNotFoundException($"--encoder-weights {given}: no such file (imagenet, none or a torchvision state dict .pth)");
        return Path.GetFullPath(given);
    }

    static DistDepthLossOptions Distillation(DistDepthLossOptions loss, string revision, double? weight)
    {
        var chosen = revision == "early" ? loss.EarlyRevision() : loss;
        return chosen with { DistillWeight = weight ?? chosen.DistillWeight };
    }

    static void Validate(TrainingOptions o, int checkpointEvery, int previewEvery)
    {
        // The encoder's stride is 32 and its last stage's reflection padding needs at least 2x2 there.
        if (o.Width < 64 || o.Height < 64 || o.Width % 32 != 0 || o.Height % 32 != 0)
            throw new ArgumentException($"--width {o.Width} --height {o.Height}: both must be multiples of 32, at least 64");
        if (o.BatchSize < 1 || o.Epochs < 1 || !(o.LearningRate > 0)) throw new ArgumentException("--batch-size, --epochs and --lr must be positive");
        if (!(o.Loss.DistillWeight >= 0)) throw new ArgumentException($"--distill-weight {o.Loss.DistillWeight}: must be 0 or more");
        if (o.DepthEncoderLayers is not (18 or 34 or 50 or 101 or 152) || o.PoseEncoderLayers is not (18 or 34 or 50 or 101 or 152))
            throw new ArgumentException($"--encoder {o.DepthEncoderLayers} / --pose-encoder {o.PoseEncoderLayers}: ResNet depth must be 18, 34, 50, 101 or 152");
        if (checkpointEvery < 1 || previewEvery < 1) throw new ArgumentException("--checkpoint-every and --preview-every must be at least 1");
    }

    internal static async Task<int> RunAsync(TrainingRun run, CancellationToken ct)
    {
        var o = run.Settings.Options;
        AnsiConsole.MarkupLine($"train: {Markup.Escape(run.Settings.Data)} -> {Markup.Escape(run.Directory)}: ResNet-{o.DepthEncoderLayers}/{o.PoseEncoderLayers} ({Markup.Escape(o.EncoderWeights)}), " +
                               $"{o.Width}x{o.Height}, batch {o.BatchSize}, {o.Optimizer} {o.LearningRate:G3}, w_dist {o.Loss.DistillWeight} ({o.Loss.Alignment.ToString().ToLowerInvariant()} alignment)");
        RunOutcome outcome = RunOutcome.Finished;
        // Ctrl-C (or SIGTERM from a scheduler) cancels ct (see Program.cs): the run stops after the
        // current step and saves a checkpoint.
        try
        {
            await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async ctx =>
                {
                    var task = ctx.AddTask("train", maxValue: 1);
                    double stall = 0, busy = 0;
                    outcome = await run.RunAsync(r =>
                    {
                        task.MaxValue = r.TotalSteps;
                        task.Value = r.Step;
                        stall += r.StallSeconds;
                        busy += r.StepSeconds;
                        task.Description = $"step {r.Step}/{r.TotalSteps} ep {r.Epoch} loss {r.Loss:F4} " +
                                           $"{1 / Math.Max(r.StepSeconds + r.StallSeconds, 1e-6):F2} steps/s stall {stall:F1}s ({100 * stall / Math.Max(stall + busy, 1e-6):F0}%)";
                    }, note => AnsiConsole.MarkupLine(Markup.Escape(note)), ct);
                });
        }
        catch (TrainingDivergedException e)
        {
            CommandRunner.Fail(e.Message);
            return 3;
        }

        AnsiConsole.MarkupLine($"{(outcome == RunOutcome.Finished ? "finished" : "[yellow]interrupted[/] (continue with --resume)")}: " +
                               $"checkpoint {Markup.Escape(Checkpoint.PathIn(run.Directory))}, loss curve {Markup.Escape(Path.Combine(run.Directory, LossHistory.PlotName))}, " +
                               $"previews {Markup.Escape(Path.Combine(run.Directory, RunPreview.Folder))}, TensorBoard: tensorboard --logdir {Markup.Escape(Path.Combine(run.Directory, "events"))}");
        return outcome == RunOutcome.Finished ? 0 : 130;
    }
}

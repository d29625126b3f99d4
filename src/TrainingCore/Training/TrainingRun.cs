using System.Diagnostics;
using DistDepth.Dataset;
using DistDepth.TrainingCore.Data;
using DistDepth.TrainingCore.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Training;

/// <summary>Which part of the dataset trains: all sequences, or those a curation accepted minus flagged frames.</summary>
/// <param name="Sequences">Sequence ids to train on; null = all.</param>
public sealed record TrainingSelection(IReadOnlySet<string>? Sequences, IReadOnlyDictionary<string, IReadOnlySet<int>> SkippedFrames)
{
    public static TrainingSelection All => new(null, new Dictionary<string, IReadOnlySet<int>>());
}

public enum RunOutcome { Finished, Interrupted }

/// <summary>
/// A training run folder: run.json, checkpoint.bin, losses.csv + loss.png, previews/, events/
/// (TensorBoard). Runs the loader, the trainer and the bookkeeping; a resumed run continues bit for
/// bit as an uninterrupted one would have (same batches, same torch random numbers, same optimiser).
/// </summary>
public sealed class TrainingRun
{
    const int PreviewFrames = 4;
    readonly string directory;
    readonly RunSettings settings;
    readonly TrainingSelection selection;

    TrainingRun(string directory, RunSettings settings, TrainingSelection selection)
    {
        this.directory = directory;
        this.settings = settings;
        this.selection = selection;
    }

    public string Directory => directory;
    public RunSettings Settings => settings;

    /// <summary>A new run; refuses a folder that already holds one, so nothing is overwritten by accident.</summary>
    public static TrainingRun Create(string directory, RunSettings settings, TrainingSelection selection)
    {
        if (File.Exists(Path.Combine(directory, RunSettings.FileName)))
            throw new IOException($"{directory}: already holds a training run; pass --resume to continue it, or choose another --out");
        System.IO.Directory.CreateDirectory(directory);
        settings.Save(directory);
        return new TrainingRun(directory, settings, selection);
    }

    /// <summary>Continues the run in <paramref name="directory"/> with its own saved settings.</summary>
    public static TrainingRun Resume(string directory, TrainingSelection selection) =>
        new(directory, RunSettings.Load(directory), selection);

    public async Task<RunOutcome> RunAsync(Action<StepReport>? onStep, Action<string>? onNote, CancellationToken ct)
    {
        var options = settings.Options;
        var reader = DatasetReader.Open(settings.Data);
        var excluded = settings.ExcludeScenes ?? [];
        var sequences = reader.Sequences
            .Where(s => (selection.Sequences?.Contains(s.SequenceId) ?? true) && !excluded.Contains(s.SceneId)).ToList();
        if (sequences.Count == 0) throw new ArgumentException($"{settings.Data}: no sequences left to train on (after curation and --exclude-scenes)");
        // Before the first step: a flipped bit found mid-epoch would cost the epoch, one never found would train on it.
        var used = sequences.Select(s => s.SequenceId).ToHashSet();
        foreach (var shard in reader.Manifest.Shards.Where(sh => sh.Sequences.Any(s => used.Contains(s.SequenceId))))
            await reader.CheckBytesAsync(shard, ct);
        var loader = new StereoSampleLoader(reader, sequences,
            new LoaderOptions(options.Width, options.Height, options.BatchSize, RequireExpert: options.Loss.DistillWeight > 0),
            settings.Seed, selection.SkippedFrames);
        long total = Math.Min(settings.MaxSteps ?? long.MaxValue, (long)options.Epochs * loader.BatchesPerEpoch);
        onNote?.Invoke($"{loader.SampleCount} samples in {sequences.Count} sequences, {loader.BatchesPerEpoch} batches of {options.BatchSize} per epoch, {total} steps");

        manual_seed(settings.Seed);
        bool resuming = File.Exists(Checkpoint.PathIn(directory));
        using var trainer = new DistDepthTrainer(options, loadEncoderWeights: !resuming);
        long step = 0;
        LossHistory history;
        if (resuming)
        {
            step = Checkpoint.Load(directory, trainer);
            history = LossHistory.Load(directory, step);
            onNote?.Invoke($"resumed from {Checkpoint.PathIn(directory)} at step {step}");
        }
        else history = new LossHistory();

        var preview = await RunPreview.ChooseAsync(reader, sequences, PreviewFrames, ct);
        using var predictor = new DepthPredictor(trainer.Depth, options.Width, options.Height, new(options.Loss.MinDepth, options.Loss.MaxDepth));
        var events = torch.utils.tensorboard.SummaryWriter(Path.Combine(directory, "events"));
        long saved = step;
        void Save()
        {
            // History first: a kill between the two leaves it ahead of the checkpoint, and Load trims it.
            history.Save(directory);
            Checkpoint.Save(directory, trainer, step);
            saved = step;
        }

        try
        {
            var clock = Stopwatch.StartNew();
            await using var batches = loader.ReadAsync(step, ct).GetAsyncEnumerator(ct);
            while (step < total)
            {
                var stall = Stopwatch.StartNew();
                if (!await batches.MoveNextAsync()) break;
                double stallSeconds = stall.Elapsed.TotalSeconds;
                using var loaded = batches.Current;
                int epoch = (int)(step / loader.BatchesPerEpoch);
                trainer.LearningRate = options.LearningRate * Math.Pow(options.DecayFactor, options.DecayEpochs.Count(e => e <= epoch));
                // torch draws (the auto-mask's noise) from a seed per step: the RNG state is the step counter.
                manual_seed(Seeds.Of(settings.Seed, step, -2));
                var start = clock.Elapsed;
                var (loss, photometric, statistical, spatial) = trainer.Step(loaded.Batch);
                if (!float.IsFinite(loss))
                    throw new TrainingDivergedException(
                        $"step {step + 1}: the loss is {loss} (photometric {photometric}, statistical {statistical}, spatial {spatial}) on " +
                        $"{string.Join(", ", loaded.Samples.Select(s => $"{s.SequenceId}#{s.Position}").Distinct())}; training stopped, " +
                        (File.Exists(Checkpoint.PathIn(directory)) ? $"the last good checkpoint {Checkpoint.PathIn(directory)} is from step {saved}" : "no checkpoint was written yet"));
                step++;
                var report = new StepReport(step, total, epoch, loss, photometric, statistical, spatial, trainer.LearningRate,
                    (clock.Elapsed - start).TotalSeconds, stallSeconds);
                history.Add(report);
                Log(events, report);
                onStep?.Invoke(report);
                if (step % settings.PreviewEvery == 0) preview.Write(directory, step, predictor);
                if (step % settings.CheckpointEvery == 0) Save();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Save();
            onNote?.Invoke($"interrupted: checkpoint at step {step} in {Checkpoint.PathIn(directory)}; continue with --resume");
            return RunOutcome.Interrupted;
        }
        if (saved != step || !File.Exists(Checkpoint.PathIn(directory))) Save();
        onNote?.Invoke($"preview: {preview.Write(directory, step, predictor)}");
        return RunOutcome.Finished;
    }

    static void Log(TorchSharp.Modules.SummaryWriter events, StepReport r)
    {
        int s = (int)r.Step;
        events.add_scalar("loss/total", r.Loss, s);
        events.add_scalar("loss/photometric", r.Photometric, s);
        events.add_scalar("loss/statistical", r.Statistical, s);
        events.add_scalar("loss/spatial", r.Spatial, s);
        events.add_scalar("train/learning_rate", (float)r.LearningRate, s);
        events.add_scalar("train/loader_stall_s", (float)r.StallSeconds, s);
        events.add_scalar("train/step_s", (float)r.StepSeconds, s);
    }
}

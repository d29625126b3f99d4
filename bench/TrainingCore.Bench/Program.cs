// Training-step and inference benchmark: TorchSharp (this process) vs PyTorch 1.13 (pytorch_step.py:
// the same networks, losses and optimiser), alternating step by step on the same machine.
//   dotnet run --project bench/TrainingCore.Bench -c Release -- [--steps 5] [--warmup 2] [--append bench/RESULTS.md]
using System.Diagnostics;
using System.Globalization;
using DistDepth.Dataset;
using DistDepth.TrainingCore;
using DistDepth.TrainingCore.Data;
using DistDepth.TrainingCore.Expert;
using DistDepth.TrainingCore.Bench;
using DistDepth.TrainingCore.Losses;
using DistDepth.TrainingCore.Networks;
using static TorchSharp.torch;

const int Batch = 8, Size = 256, InferenceRounds = 7, ForwardsPerRound = 10;
int steps = IntOption("--steps", 5), warmup = IntOption("--warmup", 2), threads = IntOption("--threads", 2);
string? appendTo = Option("--append");

set_num_threads(threads);
manual_seed(0);
using var python = new PyTorchPeer(Path.Combine(RepositoryRoot(), "bench", "TrainingCore.Bench", "pytorch_step.py"), Batch, Size, threads);
using var trainer = new DistDepthTrainer(TrainingOptions.Paper with { DepthEncoderLayers = 18, PoseEncoderLayers = 18 });
var batch = SyntheticBatch();
using var inferenceNet = new DepthNet(18);
using var image = rand(1, 3, Size, Size);

Infer(ForwardsPerRound);
python.InferenceSeconds(ForwardsPerRound);
var (csharpInfer, pythonInfer) = Alternate(InferenceRounds, () => Seconds(() => Infer(ForwardsPerRound)), () => python.InferenceSeconds(ForwardsPerRound));
for (int i = 0; i < warmup; i++)
{
    trainer.Step(batch);
    python.TrainStepSeconds();
}
var (csharpSteps, pythonSteps) = Alternate(steps, () => Seconds(() => trainer.Step(batch)), python.TrainStepSeconds);
// Again after training: both processes' heaps now hold what training left (PyTorch's inference speeds up).
var (csharpInferAfter, pythonInferAfter) = Alternate(InferenceRounds, () => Seconds(() => Infer(ForwardsPerRound)), () => python.InferenceSeconds(ForwardsPerRound));
var stalls = await LoaderStalls(trainer, steps);

double stepRatio = Median(csharpSteps.Zip(pythonSteps, (c, p) => c / p));
double fpsRatio = Median(pythonInfer.Zip(csharpInfer, (p, c) => p / c));
double fpsRatioAfter = Median(pythonInferAfter.Zip(csharpInferAfter, (p, c) => p / c));
double Fps(double[] rounds) => ForwardsPerRound / Median(rounds);
var section = string.Create(CultureInfo.InvariantCulture, $"""

## Training (issue 5)

{DateTime.UtcNow:yyyy-MM-dd}, CPU ({Environment.ProcessorCount} cores visible, {threads} intra-op threads each, machine shared with other work), TorchSharp {typeof(Tensor).Assembly.GetName().Version} (libtorch 2.10) vs PyTorch {python.TorchVersion}.
ResNet-18 DepthNet + ResNet-18 PoseNet, batch {Batch}, {Size}x{Size}, full DistDepth loss (3 sources x 4 scales, distillation on), Adam.
{warmup} warm-up + {steps} timed steps each, TorchSharp and PyTorch alternating step by step so both see the same background load;
ratio = median of the per-pair ratios (the fastest-step row is the least disturbed by other load). Inference: DepthNet eval, batch 1, {InferenceRounds} alternating rounds of {ForwardsPerRound} forwards,
in fresh processes (as `distdepth predict` runs) and again after the training steps.

| | TorchSharp | PyTorch | ratio | goal |
|---|---|---|---|---|
| training step, median (s) | {Median(csharpSteps):F3} | {Median(pythonSteps):F3} | {stepRatio:F3}x | <= 1.05x |
| training step, fastest (s) | {csharpSteps.Min():F3} | {pythonSteps.Min():F3} | {csharpSteps.Min() / pythonSteps.Min():F3}x | |
| inference, fresh process, median round (fps) | {Fps(csharpInfer):F1} | {Fps(pythonInfer):F1} | {fpsRatio:F3}x | >= 1.0x |
| inference, after training, median round (fps) | {Fps(csharpInferAfter):F1} | {Fps(pythonInferAfter):F1} | {fpsRatioAfter:F3}x | |
| loader stall per step, median (s) | {Median(stalls):F3} | | | ~0 |
| inference, fresh process, fastest round (fps) | {ForwardsPerRound / csharpInfer.Min():F1} | {ForwardsPerRound / pythonInfer.Min():F1} | {pythonInfer.Min() / csharpInfer.Min():F3}x | |

Per-step seconds, TorchSharp: {string.Join(", ", csharpSteps.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))}; PyTorch: {string.Join(", ", pythonSteps.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))}.

Reproduce: `dotnet run --project bench/TrainingCore.Bench -c Release -- --steps {steps} --warmup {warmup} --append bench/RESULTS.md`

""");
Console.WriteLine(section);
if (appendTo is not null)
{
    if (!File.Exists(appendTo)) File.WriteAllText(appendTo, "# Benchmark results\n");
    File.AppendAllText(appendTo, section);
}

// The same steps fed by StereoSampleLoader (SyntheticRoom frames + sim-oracle expert): the time
// each step waits for its batch shows whether decoding keeps up with the step.
static async Task<double[]> LoaderStalls(DistDepthTrainer trainer, int steps)
{
    var dir = Path.Combine(Path.GetTempPath(), $"distdepth-bench-{Guid.NewGuid():N}");
    await using (var writer = DatasetWriter.Open(dir))
    {
        var sequence = writer.BeginSequence("room", "room-seq00");
        foreach (var frame in new SyntheticRoom(0, Size, Size).Sequence(0, steps * Batch + 2)) sequence.Append(frame);
        await sequence.CompleteAsync();
    }
    await new ExpertStage(new SimOracleExpert()).RunAsync(dir);
    var reader = DatasetReader.Open(dir);
    var loader = new StereoSampleLoader(reader, reader.Sequences, new LoaderOptions(Size, Size, Batch, RequireExpert: true), 0);
    var stalls = new List<double>();
    var clock = Stopwatch.StartNew();
    await foreach (var loaded in loader.ReadAsync(0))
    {
        stalls.Add(clock.Elapsed.TotalSeconds);
        using (loaded) trainer.Step(loaded.Batch);
        if (stalls.Count == steps) break;
        clock.Restart();
    }
    Directory.Delete(dir, recursive: true);
    return [.. stalls];
}

void Infer(int forwards)
{
    inferenceNet.eval();
    using var _ = no_grad();
    for (int i = 0; i < forwards; i++)
    {
        using var scope = NewDisposeScope();
        inferenceNet.forward(image);
    }
}

static TrainingBatch SyntheticBatch()
{
    var frame = () => rand(Batch, 3, Size, Size);
    float f = Size / 2f, c = (Size - 1) / 2f;
    var inputs = new LossInputs(frame(), frame(), frame(), frame(),
        tensor(new[] { f, 0, c, 0, 0, f, c, 0, 0, 0, 1, 0, 0, 0, 0, 1 }).view(1, 4, 4).repeat(Batch, 1, 1),
        full(Batch, 0.1312f), arange(Batch) % 2 == 1, rand(Batch, 1, Size, Size));
    return new TrainingBatch(inputs.Target, inputs.Previous, inputs.Next, inputs);
}

static (double[] csharp, double[] python) Alternate(int rounds, Func<double> csharp, Func<double> python)
{
    var (c, p) = (new double[rounds], new double[rounds]);
    for (int i = 0; i < rounds; i++)
    {
        c[i] = csharp();
        p[i] = python();
    }
    return (c, p);
}

static double Seconds(Action action)
{
    var clock = Stopwatch.StartNew();
    action();
    return clock.Elapsed.TotalSeconds;
}

static string RepositoryRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DistDepth.sln"))) dir = dir.Parent;
    return dir?.FullName ?? throw new InvalidOperationException("DistDepth.sln not found above the benchmark binary.");
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    int mid = sorted.Length / 2;
    return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

int IntOption(string name, int fallback) => Option(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

string? Option(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

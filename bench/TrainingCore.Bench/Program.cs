// Training-step and inference benchmark: TorchSharp (this process) vs PyTorch 1.13 (pytorch_step.py,
// same networks, losses and optimiser) on the same machine, one after the other.
//   dotnet run --project bench/TrainingCore.Bench -c Release -- [--steps 5] [--warmup 2] [--append bench/RESULTS.md]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using DistDepth.TrainingCore;
using DistDepth.TrainingCore.Losses;
using DistDepth.TrainingCore.Networks;
using static TorchSharp.torch;

const int Batch = 8, Size = 256, InferenceIterations = 20;
int steps = IntOption("--steps", 5), warmup = IntOption("--warmup", 2), threads = IntOption("--threads", 2);
string? appendTo = Option("--append");

set_num_threads(threads);
manual_seed(0);
var csharpSteps = TimeTrainingSteps();
double csharpFps = InferenceFps();
Console.WriteLine($"TorchSharp: step {Median(csharpSteps):F3} s (median of {steps}), inference {csharpFps:F1} fps");

var python = RunPyTorch();
var pythonSteps = python.GetProperty("step_seconds").EnumerateArray().Select(e => e.GetDouble()).ToArray();
double pythonFps = python.GetProperty("inference_fps").GetDouble();
string torchVersion = python.GetProperty("torch").GetString()!;
Console.WriteLine($"PyTorch {torchVersion}: step {Median(pythonSteps):F3} s, inference {pythonFps:F1} fps");

double stepRatio = Median(csharpSteps) / Median(pythonSteps), fpsRatio = csharpFps / pythonFps;
var section = string.Create(CultureInfo.InvariantCulture, $"""

## Training (issue 5)

{DateTime.UtcNow:yyyy-MM-dd}, CPU ({Environment.ProcessorCount} cores visible, {threads} intra-op threads each), TorchSharp {typeof(Tensor).Assembly.GetName().Version} vs PyTorch {torchVersion}.
ResNet-18 DepthNet + ResNet-18 PoseNet, batch {Batch}, {Size}x{Size}, full DistDepth loss (3 sources x 4 scales, distillation on), Adam; {warmup} warm-up + {steps} timed steps, median.

| | TorchSharp | PyTorch | ratio | goal |
|---|---|---|---|---|
| training step (s) | {Median(csharpSteps):F3} | {Median(pythonSteps):F3} | {stepRatio:F3}x | <= 1.05x |
| inference, batch 1 (fps) | {csharpFps:F1} | {pythonFps:F1} | {fpsRatio:F3}x | >= 1.0x |

Reproduce: `dotnet run --project bench/TrainingCore.Bench -c Release -- --steps {steps} --warmup {warmup} --append bench/RESULTS.md`

""");
Console.WriteLine(section);
if (appendTo is not null)
{
    if (!File.Exists(appendTo)) File.WriteAllText(appendTo, "# Benchmark results\n");
    File.AppendAllText(appendTo, section);
}

double[] TimeTrainingSteps()
{
    var options = TrainingOptions.Paper with { DepthEncoderLayers = 18, PoseEncoderLayers = 18 };
    using var trainer = new DistDepthTrainer(options);
    var frame = () => rand(Batch, 3, Size, Size);
    float f = Size / 2f, c = (Size - 1) / 2f;
    var inputs = new LossInputs(frame(), frame(), frame(), frame(),
        tensor(new[] { f, 0, c, 0, 0, f, c, 0, 0, 0, 1, 0, 0, 0, 0, 1 }).view(1, 4, 4).repeat(Batch, 1, 1),
        full(Batch, 0.1312f), arange(Batch) % 2 == 1, rand(Batch, 1, Size, Size));
    var batch = new TrainingBatch(inputs.Target, inputs.Previous, inputs.Next, inputs);
    for (int i = 0; i < warmup; i++) trainer.Step(batch);
    return Enumerable.Range(0, steps).Select(_ =>
    {
        var clock = Stopwatch.StartNew();
        trainer.Step(batch);
        return clock.Elapsed.TotalSeconds;
    }).ToArray();
}

double InferenceFps()
{
    using var net = new DepthNet(18);
    net.eval();
    using var _ = no_grad();
    using var image = rand(1, 3, Size, Size);
    void Run() { using var scope = NewDisposeScope(); net.forward(image); }
    for (int i = 0; i < 3; i++) Run();
    var clock = Stopwatch.StartNew();
    for (int i = 0; i < InferenceIterations; i++) Run();
    return InferenceIterations / clock.Elapsed.TotalSeconds;
}

JsonElement RunPyTorch()
{
    var script = Path.Combine(RepositoryRoot(), "bench", "TrainingCore.Bench", "pytorch_step.py");
    // Debian's python3-torch; the pyenv python3 on PATH does not see it.
    var start = new ProcessStartInfo("/usr/bin/python3",
        $"{script} --batch {Batch} --size {Size} --warmup {warmup} --steps {steps} --inference-iters {InferenceIterations} --threads {threads}")
    { RedirectStandardOutput = true };
    using var process = Process.Start(start)!;
    string output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0) throw new InvalidOperationException($"{script} exited with {process.ExitCode}");
    return JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement.Clone();
}

static string RepositoryRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DistDepth.sln"))) dir = dir.Parent;
    return dir?.FullName ?? throw new InvalidOperationException("DistDepth.sln not found above the benchmark binary.");
}

static double Median(double[] values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
}

int IntOption(string name, int fallback) => Option(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

string? Option(string name)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

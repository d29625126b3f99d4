using System.Diagnostics;
using System.Globalization;

namespace DistDepth.TrainingCore.Bench;

/// <summary>
/// pytorch_step.py as a long-lived subprocess answering one timing request at a time, so PyTorch and
/// TorchSharp steps can alternate and share whatever load the machine carries at that moment.
/// </summary>
sealed class PyTorchPeer : IDisposable
{
    // Debian's python3-torch 1.13; the pyenv python3 on PATH does not see it.
    const string Python = "/usr/bin/python3";
    readonly Process process;

    public string TorchVersion { get; }

    public PyTorchPeer(string script, int batch, int size, int threads)
    {
        var start = new ProcessStartInfo(Python, $"{script} --batch {batch} --size {size} --threads {threads}")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {Python}");
        TorchVersion = ReadLine();
    }

    public double TrainStepSeconds() => Request("train");

    public double InferenceSeconds(int forwards) => Request($"infer {forwards}");

    double Request(string command)
    {
        process.StandardInput.WriteLine(command);
        process.StandardInput.Flush();
        return double.Parse(ReadLine(), CultureInfo.InvariantCulture);
    }

    string ReadLine() => process.StandardOutput.ReadLine()
        ?? throw new InvalidOperationException($"pytorch_step.py exited with {(process.WaitForExit(5000) ? process.ExitCode : -1)}");

    public void Dispose()
    {
        process.StandardInput.Close();
        process.WaitForExit();
        process.Dispose();
    }
}

using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace DistDepth.Dataset.Tests;

// deploy/slurm/simgen.sbatch under a real scheduler: a one-node Slurm (deploy/slurm/local-cluster.sh) runs
// it as a 4-task array with one task made to fail, the failed index is re-submitted alone, and only then
// does `dataset merge` accept the set.
public class SlurmClusterTests(ITestOutputHelper output)
{
    const int Tasks = 4, SequencesPerScene = 2, Frames = 3;

    static string Script([CallerFilePath] string source = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(source)!, "..", "..", "deploy", "slurm", "local-cluster.sh"));

    // Root can install slurm-wlm and munge (the script does); anyone else needs them already there.
    static string? WhyNot() =>
        Environment.UserName == "root" || new[] { "/usr/sbin/slurmctld", "/usr/sbin/munged" }.All(File.Exists) ? null
            : "slurm-wlm and munge are not installed and the tests do not run as root, so they cannot be installed";

    [Fact]
    public async Task ArrayJobWithAFailedTaskResubmittedByIndexMergesToThePlannedRows()
    {
        if (WhyNot() is { } reason)
        {
            output.WriteLine($"SKIPPED: {reason}");
            Console.Error.WriteLine($"SKIPPED ArrayJobWithAFailedTaskResubmittedByIndexMergesToThePlannedRows: {reason}");
            return;
        }
        var work = TempFolder.New("slurm");
        Run("up");
        try
        {
            // Task 2's output folder cannot be created: that task fails, the others complete.
            Directory.CreateDirectory(Path.Combine(work, "out"));
            var blocker = Path.Combine(work, "out", "part-002");
            File.WriteAllText(blocker, "not a folder");
            var first = Run("submit", $"0-{Tasks - 1}", Tasks.ToString());
            Assert.Equal(1, first.Exit);
            Assert.Contains("failed: 2", first.Stdout);
            Assert.Contains("task 0 COMPLETED", first.Stdout);

            var refused = Run("merge");
            Assert.NotEqual(0, refused.Exit);
            Assert.Contains("incomplete set of 4 parts, missing part 2 (not given)", refused.Stdout + refused.Stderr);
            Assert.False(File.Exists(DatasetManifest.PathIn(Path.Combine(work, "merged"))));

            File.Delete(blocker);
            var again = Run("submit", "2", Tasks.ToString());
            Assert.Equal(0, again.Exit);
            Assert.Contains("task 2 COMPLETED", again.Stdout);

            var merged = Run("merge");
            Assert.Equal(0, merged.Exit);
            Assert.Contains("verified", merged.Stdout + merged.Stderr, StringComparison.OrdinalIgnoreCase);
            var dir = Path.Combine(work, "merged");
            var planned = Tasks * SequencesPerScene * Frames;
            Assert.Equal(planned, DatasetManifest.Load(dir).FrameCount);
            Assert.Equal(planned, (int)DuckDbInteropTests.ReadWithDuckDb(dir)["rows"]!);
            Assert.All(Enumerable.Range(0, Tasks), i => Assert.NotEmpty(Directory.GetFiles(Path.Combine(work, "logs"), $"simgen-*_{i}.out")));
            // simgen's seeds are 64-bit: stored as strings, they survive any JSON reader.
            var frame = (await DatasetReader.Open(dir).ReadSequenceAsync(DatasetManifest.Load(dir).Sequences.First().SequenceId))[0];
            Assert.True(ulong.TryParse((string)JsonNode.Parse(frame.MetaJson)!["seed"]!, out _));
        }
        finally
        {
            Run("down");
        }

        (int Exit, string Stdout, string Stderr) Run(params string[] args)
        {
            var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add(Script());
            info.ArgumentList.Add(args[0]);
            info.ArgumentList.Add(work);
            foreach (var a in args[1..]) info.ArgumentList.Add(a);
            info.Environment["DISTDEPTH"] = $"dotnet {Path.Combine(AppContext.BaseDirectory, "distdepth.dll")}";
            info.Environment["SEQUENCES_PER_SCENE"] = SequencesPerScene.ToString();
            info.Environment["FRAMES"] = Frames.ToString();
            using var p = Process.Start(info)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(240_000))
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException($"local-cluster.sh {string.Join(' ', args)} hung");
            }
            output.WriteLine($"$ local-cluster.sh {string.Join(' ', args)} -> {p.ExitCode}\n{stdout.Result}{stderr.Result}");
            return (p.ExitCode, stdout.Result, stderr.Result);
        }
    }
}

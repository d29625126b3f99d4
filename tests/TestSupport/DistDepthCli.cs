using System.Diagnostics;

namespace DistDepth.TestSupport;

/// <summary>Runs the real `distdepth` command, built next to the calling tests, as a child process.</summary>
public static class DistDepthCli
{
    public static Process Start(params string[] args)
    {
        // Through env, with SIGINT back at its default: a test run started in the background of a script (`cmd &`,
        // nohup) inherits SIGINT ignored, .NET then keeps ignoring it as the parent asked, and the Ctrl-C tests
        // would see their interrupt do nothing. env execs dotnet, so the child's id is the CLI's.
        var info = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("--default-signal=INT");
        info.ArgumentList.Add("dotnet");
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "distdepth.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    public static (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        using var p = Start(args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(300_000))
        {
            p.Kill();
            throw new TimeoutException($"distdepth {string.Join(' ', args)} hung");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}

using System.Diagnostics;

namespace DistDepth.TrainingCore.Tests;

/// <summary>`distdepth` in a child process, so a test can kill it as a crash would.</summary>
static class Cli
{
    public static Process Start(string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "distdepth.dll"));
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info)!;
    }

    public static async Task<string> ExpectSuccess(Process child)
    {
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync();
        Assert.True(child.ExitCode == 0, $"exit {child.ExitCode}: {await stderr}\n{await stdout}");
        return await stdout;
    }
}

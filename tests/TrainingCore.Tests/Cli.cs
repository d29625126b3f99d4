using System.Diagnostics;

namespace DistDepth.TrainingCore.Tests;

/// <summary>Waits for a `distdepth` child process (started with DistDepthCli) and fails the test unless it succeeded.</summary>
static class Cli
{
    public static async Task<string> ExpectSuccess(Process child)
    {
        var stdout = child.StandardOutput.ReadToEndAsync();
        var stderr = child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync();
        Assert.True(child.ExitCode == 0, $"exit {child.ExitCode}: {await stderr}\n{await stdout}");
        return await stdout;
    }
}

using System.Runtime.InteropServices;
using DistDepth.Cli;

namespace DistDepth.TrainingCore.Tests;

public sealed class CommandRunnerTests
{
    /// <summary>libtorch's errors reach .NET as ExternalException with a C++ backtrace in the message (one was
    /// seen from c10's Scalar::toFloat mid-training): the user gets its first line and what to do, not the frames.</summary>
    [Fact]
    public async Task A_libtorch_error_prints_its_first_line_and_how_to_continue()
    {
        const string native = "Cannot convert scalar to float\nException raised from toFloat at c10/core/Scalar.h:140 (most recent call first):\nframe #0: c10::Error::Error()";
        var error = new StringWriter();
        var before = Console.Error;
        Console.SetError(error);
        int code;
        try { code = await CommandRunner.RunAsync(_ => throw new ExternalException(native), CancellationToken.None); }
        finally { Console.SetError(before); }
        Assert.Equal(2, code);
        Assert.Contains("error: libtorch failed: Cannot convert scalar to float (a training run keeps its last checkpoint: continue it with --resume)", error.ToString());
        Assert.DoesNotContain("frame #0", error.ToString());
    }
}

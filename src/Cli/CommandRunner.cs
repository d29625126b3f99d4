using Spectre.Console;

namespace DistDepth.Cli;

// Every verb runs through here so that a person sees one clear line, never a stack trace.
// Convention across the libraries: a problem the user can fix is an InvalidDataException (bad file
// content), an IOException (missing or unreadable file) or an ArgumentException (bad option value),
// and its message names the file or option and the problem.
public static class CommandRunner
{
    public static async Task<int> RunAsync(Func<CancellationToken, Task<int>> body, CancellationToken ct)
    {
        try
        {
            return await body(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            AnsiConsole.MarkupLine("[yellow]cancelled[/]");
            return 130;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or ArgumentException)
        {
            Fail(e.Message);
            return 1;
        }
        catch (System.Runtime.InteropServices.ExternalException e)
        {
            // libtorch's messages carry a C++ backtrace after the first line.
            Fail($"libtorch failed: {e.Message.Split('\n')[0].Trim()} (a training run keeps its last checkpoint: continue it with --resume)");
            return 2;
        }
        catch (Exception e)
        {
            Fail($"unexpected {e.GetType().Name}: {e.Message}");
            return 2;
        }
    }

    public static void Fail(string message) =>
        Console.Error.WriteLine($"error: {message}");
}

using System.CommandLine;
using DistDepth.Cli.Commands;

namespace DistDepth.Cli;

/// <summary>The `distdepth` command tree; Program runs it, and tests drive it in-process to try many inputs fast.</summary>
public static class CliRoot
{
    public static RootCommand Create() => new("DistDepth Toolkit: simulated and real indoor stereo datasets, curation and DistDepth training.")
    {
        DatasetCommands.Create(),
        DemoCommand.Create(),
        CaptureCommands.Create(),
        ImportCommand.Create(),
        SimCommands.Create(),
        SimGenCommand.Create(),
        ExpertCommand.Create(),
        CurateCommand.Create(),
        TrainCommand.Create(),
        EvaluateCommand.Create(),
        PredictCommand.Create(),
    };
}

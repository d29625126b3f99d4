using System.CommandLine;
using DistDepth.Cli.Commands;

var root = new RootCommand("DistDepth Toolkit: simulated and real indoor stereo datasets, curation and DistDepth training.")
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
return await root.Parse(args).InvokeAsync();

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
// Ctrl-C and SIGTERM cancel the running verb's token; it then has this long to stop cleanly (finish a
// training step and checkpoint, finalise the shard being filled) before the process is ended.
// System.CommandLine only listens for these signals when given a configuration.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(60) };
return await root.Parse(args).InvokeAsync(invocation);

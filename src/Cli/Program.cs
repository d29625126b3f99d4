using System.CommandLine;
using DistDepth.Cli;

// Ctrl-C and SIGTERM cancel the running verb's token; it then has this long to stop cleanly (finish a
// training step and checkpoint, finalise the shard being filled) before the process is ended.
// System.CommandLine only listens for these signals when given a configuration.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(60) };
return await CliRoot.Create().Parse(args).InvokeAsync(invocation);

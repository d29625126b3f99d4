using System.CommandLine;
using Spectre.Console;

namespace DistDepth.Cli.Commands;

/// <summary>The README's main job, end to end on what ships with the toolkit.</summary>
public static class DemoCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Where the demo writes", DefaultValueFactory = _ => "out/demo" };
        var command = new Command("demo", "Run the toolkit end to end on the embedded default and print what it made") { output };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async ct =>
        {
            var root = parse.GetValue(output)!;
            var data = Path.Combine(root, "dataset");
            AnsiConsole.Write(new Rule("1. dataset: synthetic stereo rooms"));
            await SyntheticDataset.WriteAsync(data, scenes: 2, sequencesPerScene: 2, frames: 20, size: 128, shardMb: 1, ct);
            AnsiConsole.Write(new Rule("2. verify"));
            if (await DatasetCommands.VerifyAsync(data, ct) != 0) return 1;
            await DatasetSummary.PrintAsync(data, ct);
            var sheet = await SequenceExport.WriteAsync(data, "room000-seq00", Path.Combine(root, "export"), ct);
            AnsiConsole.MarkupLine($"look at: [blue]{Markup.Escape(Path.GetFullPath(sheet))}[/]");
            return 0;
        }, ct));
        return command;
    }
}

using System.CommandLine;
using DistDepth.Dataset;
using DistDepth.SimBridge;
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
            AnsiConsole.Write(new Rule("1. simgen: SimSIN-style stereo from the embedded simulator"));
            var options = new SimGenOptions { SequencesPerScene = 2, Frames = 20, Width = 128, Height = 128 };
            var plan = GenerationPlan.Build(SceneList.Expand(["procedural:2"]), options);
            await SimGenCommand.RunAsync(plan, options, data, new DatasetWriterOptions(), [], ct);
            AnsiConsole.Write(new Rule("2. verify"));
            if (await DatasetCommands.VerifyAsync(data, ct) != 0) return 1;
            await DatasetSummary.PrintAsync(data, ct);
            var sheet = await SequenceExport.WriteAsync(data, plan[0].SequenceId, Path.Combine(root, "export"), ct);
            AnsiConsole.MarkupLine($"look at: [blue]{Markup.Escape(Path.GetFullPath(sheet))}[/]");
            return 0;
        }, ct));
        return command;
    }
}

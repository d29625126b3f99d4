using System.CommandLine;
using DistDepth.Curation;
using DistDepth.Dataset;
using Spectre.Console;

namespace DistDepth.Cli.Commands;

public static class DatasetCommands
{
    public static Command Create() => new("dataset", "Inspect, check, export and synthesise sharded Parquet datasets")
    {
        Info(), Verify(), Export(), Synth(), Merge(),
    };

    static Argument<string> DirArgument() => new("DIR") { Description = "Dataset folder (manifest.json + shards/)" };

    static Command Info()
    {
        var dir = DirArgument();
        var command = new Command("info", "Summarise a dataset: shards, sequences, frames, camera") { dir };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async ct =>
        {
            await DatasetSummary.PrintAsync(parse.GetValue(dir)!, ct);
            return 0;
        }, ct));
        return command;
    }

    static Command Verify()
    {
        var dir = DirArgument();
        var command = new Command("verify", "Re-hash every shard and decode every row; name each bad shard and row") { dir };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(ct => VerifyAsync(parse.GetValue(dir)!, ct), ct));
        return command;
    }

    public static async Task<int> VerifyAsync(string dir, CancellationToken ct)
    {
        var total = DatasetManifest.Load(dir).FrameCount;
        VerifyReport report = null!;
        await AnsiConsole.Progress().StartAsync(async ctx =>
        {
            var task = ctx.AddTask("verifying", maxValue: Math.Max(total, 1));
            report = await DatasetVerifier.VerifyAsync(dir, new Progress<long>(n => task.Increment(n)), ct);
            task.Value = task.MaxValue;
        });
        foreach (var problem in report.Problems) CommandRunner.Fail(problem.ToString());
        if (!report.Ok) return 1;
        AnsiConsole.MarkupLine($"[green]OK[/]: {report.Shards} shards, {report.Frames} frames verified in {Markup.Escape(dir)}");
        return 0;
    }

    static Command Export()
    {
        var dir = DirArgument();
        var sequence = new Option<string>("--sequence") { Description = "Sequence id to export", Required = true };
        var output = new Option<string>("--out") { Description = "Folder for the PNG files", Required = true };
        var command = new Command("export", "Write a sequence as PNG files, colourised depth and a contact sheet") { dir, sequence, output };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async ct =>
        {
            var sheet = await SequenceExport.WriteAsync(parse.GetValue(dir)!, parse.GetValue(sequence)!, parse.GetValue(output)!, ct);
            AnsiConsole.MarkupLine($"contact sheet: [blue]{Markup.Escape(sheet)}[/]");
            if (CuratedManifest.ExportVerdict(parse.GetValue(dir)!, parse.GetValue(sequence)!, parse.GetValue(output)!) is { } verdict)
                AnsiConsole.MarkupLine($"curation: {Markup.Escape(verdict)} (verdict.json)");
            return 0;
        }, ct));
        return command;
    }

    static Command Merge()
    {
        var sources = new Argument<string[]>("DIRS") { Description = "Dataset folders to join", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out") { Description = "New dataset folder", Required = true };
        var command = new Command("merge", "Join datasets into one (shards hard-linked, not copied, where possible)") { sources, output };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async ct =>
        {
            var merged = DatasetMerger.Merge(parse.GetValue(sources)!, parse.GetValue(output)!);
            AnsiConsole.MarkupLine($"merged {merged.Shards.Count} shards, {merged.Sequences.Count()} sequences, {merged.FrameCount} frames");
            return await VerifyAsync(parse.GetValue(output)!, ct);
        }, ct));
        return command;
    }

    static Command Synth()
    {
        var output = new Option<string>("--out") { Description = "Dataset folder to create or resume", Required = true };
        var scenes = new Option<int>("--scenes") { Description = "Number of synthetic rooms", DefaultValueFactory = _ => 2 };
        var sequences = new Option<int>("--sequences-per-scene") { DefaultValueFactory = _ => 2 };
        var frames = new Option<int>("--frames") { Description = "Frames per sequence", DefaultValueFactory = _ => 20 };
        var size = new Option<int>("--size") { Description = "Image width and height in pixels", DefaultValueFactory = _ => 128 };
        var shardMb = new Option<double>("--shard-size-mb") { Description = "Target shard size", DefaultValueFactory = _ => 256 };
        var command = new Command("synth", "Write an analytic ray-cast stereo dataset (no simulator needed); resumable")
        {
            output, scenes, sequences, frames, size, shardMb,
        };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(ct => SyntheticDataset.WriteAsync(
            parse.GetValue(output)!, parse.GetValue(scenes), parse.GetValue(sequences), parse.GetValue(frames),
            parse.GetValue(size), parse.GetValue(shardMb), ct), ct));
        return command;
    }
}

using System.CommandLine;
using DistDepth.Curation;
using DistDepth.Dataset;
using Spectre.Console;

namespace DistDepth.Cli.Commands;

/// <summary>`distdepth curate`: verdicts on every sequence and frame (curation.json) and a review page.</summary>
public static class CurateCommand
{
    public static Command Create()
    {
        var dir = new Argument<string?>("DIR") { Description = "Dataset folder (manifest.json + shards/)", Arity = ArgumentArity.ZeroOrOne };
        var config = new Option<string?>("--config") { Description = "YAML thresholds overriding the defaults (see --print-config)" };
        var report = new Option<string?>("--report") { Description = "Review page to write (default: DIR/curation_report.html)" };
        var printConfig = new Option<bool>("--print-config") { Description = "Print the documented default config and exit" };
        var command = new Command("curate", "Find failed sequences (walls, void, dark, frozen...), write curation.json beside the dataset and an HTML review page; shards are never changed")
        {
            dir, config, report, printConfig,
        };
        command.SetAction((p, ct) => CommandRunner.RunAsync(async ct =>
        {
            if (p.GetValue(printConfig))
            {
                Console.Write(CurationConfig.DefaultYaml());
                return 0;
            }
            var dataset = p.GetValue(dir) ?? throw new ArgumentException("curate needs a dataset folder (DIR)");
            var thresholds = p.GetValue(config) is { } path ? CurationConfig.Load(path) : new CurationConfig();
            await RunAsync(dataset, thresholds, p.GetValue(report) ?? Path.Combine(dataset, "curation_report.html"), ct);
            return 0;
        }, ct));
        return command;
    }

    public static async Task<CuratedManifest> RunAsync(string dataset, CurationConfig config, string reportPath, CancellationToken ct)
    {
        long total = DatasetManifest.Load(dataset).FrameCount;
        CuratedManifest curated = null!;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var curating = ctx.AddTask("curating", maxValue: Math.Max(1, total));
                curated = await CurationRun.RunAsync(dataset, config, new Progress<long>(n => curating.Increment(n)), ct);
                curating.Value = curating.MaxValue;
                var reporting = ctx.AddTask("review page", maxValue: 1);
                await ReviewReport.WriteAsync(dataset, curated, reportPath, ct);
                reporting.Value = 1;
            });
        var table = new Table().AddColumn("check").AddColumn(new TableColumn("rejected sequences").RightAligned());
        foreach (var (check, count) in curated.RejectionsByCheck) table.AddRow(Markup.Escape(check), count.ToString());
        AnsiConsole.Write(table);
        int rejected = curated.Rejected.Count();
        AnsiConsole.MarkupLine($"{curated.Sequences.Count} sequences: [green]{curated.Sequences.Count - rejected} accepted[/], [red]{rejected} rejected[/]; " +
                               $"verdicts: [blue]{Markup.Escape(CuratedManifest.PathIn(dataset))}[/], review: [blue]{Markup.Escape(reportPath)}[/]");
        return curated;
    }
}

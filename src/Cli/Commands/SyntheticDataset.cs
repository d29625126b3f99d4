using DistDepth.Dataset;
using Spectre.Console;

namespace DistDepth.Cli.Commands;

internal static class SyntheticDataset
{
    public static async Task<int> WriteAsync(string outDir, int scenes, int sequencesPerScene, int frames, int size,
        double shardMb, CancellationToken ct)
    {
        if (scenes <= 0 || sequencesPerScene <= 0 || frames <= 0) throw new ArgumentException("--scenes, --sequences-per-scene and --frames must be positive");
        if (size < 8) throw new ArgumentException("--size must be at least 8 pixels");
        if (shardMb <= 0) throw new ArgumentException("--shard-size-mb must be positive");
        var options = new DatasetWriterOptions { TargetShardBytes = (long)(shardMb * 1048576) };
        await using var writer = DatasetWriter.Open(outDir, options);
        var plan = (from s in Enumerable.Range(0, scenes) from q in Enumerable.Range(0, sequencesPerScene)
                    select (Scene: s, Sequence: q, Id: $"room{s:D3}-seq{q:D2}")).ToList();
        var todo = plan.Where(p => !writer.Contains(p.Id)).ToList();
        await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask($"synthesising ({plan.Count - todo.Count} of {plan.Count} sequences already done)", maxValue: Math.Max(todo.Count * frames, 1));
                foreach (var p in todo)
                {
                    ct.ThrowIfCancellationRequested();
                    var room = new SyntheticRoom(p.Scene, size, size);
                    var sequence = writer.BeginSequence($"room{p.Scene:D3}", p.Id);
                    foreach (var frame in room.Sequence(p.Sequence, frames))
                    {
                        sequence.Append(frame);
                        task.Increment(1);
                    }
                    await sequence.CompleteAsync(ct);
                }
                task.Value = task.MaxValue;
            });
        return 0;
    }
}

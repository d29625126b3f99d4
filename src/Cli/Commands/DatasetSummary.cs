using DistDepth.Dataset;
using Spectre.Console;

namespace DistDepth.Cli.Commands;

internal static class DatasetSummary
{
    public static async Task PrintAsync(string dir, CancellationToken ct)
    {
        var reader = DatasetReader.Open(dir);
        var m = reader.Manifest;
        var first = m.Sequences.FirstOrDefault() is { } s ? (await reader.ReadSequenceAsync(s.SequenceId, ct))[0] : null;
        var table = new Table().HideHeaders().AddColumns("", "");
        table.AddRow("dataset", Markup.Escape(m.DatasetId));
        table.AddRow("schema", $"v{m.SchemaVersion}, depth in {m.DepthUnit}s, {m.Compression}");
        table.AddRow("shards", $"{m.Shards.Count} ({m.Shards.Sum(x => x.Bytes) / 1048576.0:F1} MiB)");
        table.AddRow("scenes", m.Sequences.Select(x => x.SceneId).Distinct().Count().ToString());
        table.AddRow("sequences", m.Sequences.Count().ToString());
        table.AddRow("frames", m.FrameCount.ToString());
        if (first is not null)
        {
            var k = first.Intrinsics;
            table.AddRow("camera", $"{first.Width}x{first.Height}, fx {k.Fx:F1} fy {k.Fy:F1} cx {k.Cx:F1} cy {k.Cy:F1}, baseline {first.BaselineM:F4} m");
            table.AddRow("columns", string.Join(", ", new[] { ("right", first.Right), ("depth", first.Depth), ("expert", first.Expert) }
                .Select(c => c.Item2 is null ? $"no {c.Item1}" : c.Item1).Prepend("left")));
        }
        AnsiConsole.Write(new Panel(table).Header(Markup.Escape(dir)));
    }
}

using System.Net;
using DistDepth.Dataset;

namespace DistDepth.Curation;

/// <summary>
/// One self-contained HTML page (thumbnails inline) for a person to check curation's work: counts per
/// check, every rejected sequence worst first with a strip of frames, colourised depth and the failing
/// checks with their values, then a sample of accepted sequences to spot what was missed. Sequences
/// are read one at a time and the page is streamed to disk, so its size does not bound memory.
/// </summary>
public static class ReviewReport
{
    const int StripFrames = 8, ThumbWidth = 112, AcceptedSample = 6;

    public static async Task WriteAsync(string datasetDir, CuratedManifest curated, string path, CancellationToken ct = default)
    {
        var reader = DatasetReader.Open(datasetDir);
        var rejected = curated.Rejected.Order(SequenceVerdict.WorstFirst).ToList();
        var accepted = curated.Sequences.Where(s => s.Accepted).ToList();
        var sample = Enumerable.Range(0, Math.Min(AcceptedSample, accepted.Count)).Select(i => accepted[i * accepted.Count / Math.Min(AcceptedSample, accepted.Count)]).ToList();

        // A half-written page is worthless but harmless: write beside, then rename over.
        var temp = path + ".tmp";
        await using (var html = new StreamWriter(temp))
        {
            await html.WriteAsync(Header(curated, datasetDir, rejected.Count, accepted.Count));
            await html.WriteAsync($"<h2>Rejected sequences, worst first ({rejected.Count})</h2>\n");
            foreach (var verdict in rejected) await html.WriteAsync(await EntryAsync(reader, verdict, ct));
            await html.WriteAsync($"<h2>Accepted sequences: a sample of {sample.Count} of {accepted.Count}</h2>\n");
            foreach (var verdict in sample) await html.WriteAsync(await EntryAsync(reader, verdict, ct));
            await html.WriteAsync("</body></html>\n");
        }
        File.Move(temp, path, overwrite: true);
    }

    static string E(object? text) => WebUtility.HtmlEncode(text?.ToString() ?? "");

    static string Header(CuratedManifest curated, string datasetDir, int rejected, int accepted)
    {
        var checks = FrameChecks.All(curated.Config.Frame).Select(c => (c.Name, c.Measures, c.ConfigKey, c.Threshold))
            .Concat(SequenceChecks.All(curated.Config.Sequence).Select(c => (c.Name, c.Measures, c.ConfigKey, c.Threshold)));
        var counts = curated.RejectionsByCheck;
        var rows = string.Concat(checks.Select(c =>
            $"<tr><td>{E(c.Name)}</td><td class=\"n\">{counts.GetValueOrDefault(c.Name)}</td><td>{E(c.Measures)}</td><td>{E(c.ConfigKey)} = {c.Threshold:0.###}</td></tr>\n"));
        int frames = curated.Sequences.Sum(s => s.Frames), flagged = curated.Sequences.Sum(s => s.FlaggedFrames.Count);
        return $$"""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Curation review: {{E(curated.DatasetId)}}</title>
            <style>
            body { font: 14px/1.4 sans-serif; margin: 1.5em; color: #222; }
            table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 2px 8px; text-align: left; } td.n { text-align: right; }
            section.sequence { border-top: 2px solid #ddd; padding: 0.5em 0; }
            section.rejected h3 { color: #b00; } section.accepted h3 { color: #070; }
            .strip { display: flex; flex-wrap: wrap; gap: 4px; }
            figure { margin: 0; border: 3px solid transparent; font-size: 11px; width: {{ThumbWidth}}px; }
            figure.flagged { border-color: #d22; } figure img { display: block; width: {{ThumbWidth}}px; }
            .scene { color: #777; font-weight: normal; font-size: 12px; }
            </style></head><body>
            <h1>Curation review: {{E(curated.DatasetId)}}</h1>
            <p>{{E(Path.GetFullPath(datasetDir))}}: {{curated.Sequences.Count}} sequences, <b>{{rejected}} rejected</b>, {{accepted}} accepted;
            {{frames}} frames, {{flagged}} flagged (red border: skipped by the trainer even in accepted sequences).</p>
            <h2>Rejections per check</h2>
            <table class="summary"><tr><th>check</th><th>rejected sequences</th><th>measures</th><th>threshold</th></tr>
            {{rows}}</table>

            """;
    }

    static async Task<string> EntryAsync(DatasetReader reader, SequenceVerdict verdict, CancellationToken ct)
    {
        var frames = await reader.ReadSequenceAsync(verdict.SequenceId, ct);
        var picks = Enumerable.Range(0, Math.Min(StripFrames, frames.Count)).Select(i => frames[i * frames.Count / Math.Min(StripFrames, frames.Count)]).ToList();
        var flags = verdict.FlaggedFrames.ToDictionary(f => f.FrameIndex, f => f.Flags);
        var figures = new string[picks.Count];
        Parallel.For(0, picks.Count, new ParallelOptions { CancellationToken = ct }, i =>
        {
            var f = picks[i];
            var depth = Thumbnail.Depth(f, ThumbWidth);
            var why = flags.TryGetValue(f.FrameIndex, out var r) ? string.Join(", ", r.Select(x => $"{x.Check} {x.Value:0.##}")) : "ok";
            figures[i] = $"<figure class=\"{(r is null ? "frame" : "frame flagged")}\" title=\"{E(why)}\">{Img(Thumbnail.Left(f, ThumbWidth), "left")}" +
                         $"{(depth is null ? "" : Img(depth, "depth"))}<figcaption>#{f.FrameIndex}: {E(why)}</figcaption></figure>";
        });
        string state = verdict.Accepted ? "accepted" : "rejected";
        var reasons = verdict.Accepted ? "<li>every sequence check passed</li>"
            : string.Concat(verdict.Reasons.Select(r => $"<li><b>{E(r.Check)}</b> {r.Value:0.###} (threshold {r.Threshold:0.###}){(r.Detail is null ? "" : $": {E(r.Detail)}")}</li>"));
        return $"<section class=\"sequence {state}\" data-verdict=\"{state}\" data-sequence=\"{E(verdict.SequenceId)}\">\n" +
               $"<h3>{E(verdict.SequenceId)} <span class=\"scene\">{E(verdict.SceneId)}, {verdict.Frames} frames, {verdict.FlaggedFrames.Count} flagged</span></h3>\n" +
               $"<ul class=\"reasons\">{reasons}</ul>\n<div class=\"strip\">{string.Concat(figures)}</div>\n</section>\n";
    }

    static string Img(byte[] png, string alt) => $"<img alt=\"{alt}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\">";
}

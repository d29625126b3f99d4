using DistDepth.Curation;
using DistDepth.TrainingCore.Training;
using Spectre.Console;

namespace DistDepth.Cli.Commands;

/// <summary>
/// A curated dataset (curation.json beside manifest.json) trains on its accepted sequences only,
/// without their flagged frames: what a researcher who ran `distdepth curate` expects. A stale
/// curation is an error (CuratedManifest.TryLoad), never silently ignored.
/// </summary>
static class TrainingData
{
    public static TrainingSelection Selection(string dataDirectory)
    {
        var curated = CuratedManifest.TryLoad(dataDirectory);
        if (curated is null) return TrainingSelection.All;
        var accepted = curated.AcceptedSequences.ToHashSet();
        AnsiConsole.MarkupLine($"curation: {accepted.Count} of {curated.Sequences.Count} sequences accepted ({Markup.Escape(CuratedManifest.PathIn(dataDirectory))})");
        return new TrainingSelection(accepted, accepted.ToDictionary(id => id, curated.FlaggedFrames));
    }
}

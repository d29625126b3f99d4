using System.Text;
using Xunit.Abstractions;

namespace DistDepth.Curation.Tests;

/// <summary>Acceptance 1: curation against the generator's labels, beside the SimSIN authors' rule alone.</summary>
public class PlantedSetTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RejectHasPrecisionAndRecallOfAtLeast95PercentAndBeatsTheSimSinRule()
    {
        var set = await PlantedSet.GetAsync();
        var curated = await PlantedSet.CuratedAsync();
        Assert.Equal(set.Labels.Count, curated.Sequences.Count);

        // The authors discard an episode as soon as one frame fails their rule.
        bool SimSinRejects(SequenceVerdict v) => v.FlaggedFrames.Any(f => f.Flags.Any(r => FrameChecks.SimSinRule.Contains(r.Check)));
        var ours = Score(curated, set, v => !v.Accepted);
        var theirs = Score(curated, set, SimSinRejects);

        var table = new StringBuilder();
        table.AppendLine($"planted set: {set.Labels.Count} sequences x {PlantedSet.Frames} frames, " +
                         string.Join(", ", set.Labels.Values.GroupBy(l => l).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}")));
        table.AppendLine($"{"rejects when",-28} {"precision",9} {"recall",7}  TP FP FN");
        table.AppendLine(Row("ours (default config)", ours));
        table.AppendLine(Row("SimSIN authors' rule alone", theirs));
        table.AppendLine("per check (sequences it names as a reason; precision of that check, recall over all failures):");
        var checks = FrameChecks.All(curated.Config.Frame).Select(c => c.Name).Concat(SequenceChecks.All(curated.Config.Sequence).Select(c => c.Name));
        foreach (var check in checks)
            table.AppendLine(Row("  " + check, Score(curated, set, v => v.Reasons.Any(r => r.Check == check))));
        table.AppendLine("recall per planted failure mode, ours / SimSIN rule:");
        foreach (var mode in set.Labels.Values.Where(l => l != "Navigate").Distinct().Order())
        {
            var ofMode = curated.Sequences.Where(v => set.Labels[v.SequenceId] == mode).ToList();
            table.AppendLine($"  {mode,-14} {ofMode.Count(v => !v.Accepted)}/{ofMode.Count} / {ofMode.Count(SimSinRejects)}/{ofMode.Count}");
        }
        output.WriteLine(table.ToString());
        Console.WriteLine(table.ToString());

        Assert.True(ours.Precision >= 0.95, $"precision {ours.Precision:F3}\n{table}");
        Assert.True(ours.Recall >= 0.95, $"recall {ours.Recall:F3}\n{table}");
        // Every planted failure has a reason a person can read: a named check, its value and threshold.
        Assert.All(curated.Rejected, v => Assert.All(v.Reasons, r => Assert.False(string.IsNullOrEmpty(r.Check))));
    }

    [Fact]
    public void TheDefaultsContainTheSimSinRuleVerbatim()
    {
        var checks = FrameChecks.All(new CurationConfig().Frame).ToDictionary(c => c.Name);
        Assert.Equal((0.2, false), (checks["depth_median"].Threshold, checks["depth_median"].FailsAbove));
        Assert.Equal((0.05, false), (checks["depth_p20"].Threshold, checks["depth_p20"].FailsAbove));
        Assert.Equal((0.05, false), (checks["depth_spread"].Threshold, checks["depth_spread"].FailsAbove));
        // A wall-filling view at 0.15 m fails the rule; its frame is flagged (and so skipped) by the defaults.
        var wall = new FrameMeasurement { FrameIndex = 0, MeanLuma = 100, Texture = 5, MedianDepthM = 0.15, P20DepthM = 0.14, P80DepthM = 0.16, NearFraction = 1, InvalidFraction = 0 };
        Assert.Equal(["near_depth", "depth_median", "depth_spread"], checks.Values.Select(c => c.Evaluate(wall)).OfType<Reason>().Select(r => r.Check));
    }

    sealed record Figures(int TruePositives, int FalsePositives, int FalseNegatives)
    {
        public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);
        public double Recall => TruePositives + FalseNegatives == 0 ? 1 : (double)TruePositives / (TruePositives + FalseNegatives);
    }

    static Figures Score(CuratedManifest curated, PlantedSet set, Func<SequenceVerdict, bool> rejects)
    {
        int tp = 0, fp = 0, fn = 0;
        foreach (var v in curated.Sequences)
        {
            bool failure = set.IsFailure(v.SequenceId), rejected = rejects(v);
            if (rejected && failure) tp++;
            else if (rejected) fp++;
            else if (failure) fn++;
        }
        return new Figures(tp, fp, fn);
    }

    static string Row(string name, Figures f) =>
        $"{name,-28} {f.Precision,9:F3} {f.Recall,7:F3}  {f.TruePositives,2} {f.FalsePositives,2} {f.FalseNegatives,2}";
}

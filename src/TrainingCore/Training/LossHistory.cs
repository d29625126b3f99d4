using System.Globalization;
using DistDepth.Dataset;
using ScottPlot;

namespace DistDepth.TrainingCore.Training;

/// <summary>losses.csv and loss.png in the run folder, rewritten with each checkpoint so they match it after a resume.</summary>
public sealed class LossHistory
{
    public const string CsvName = "losses.csv", PlotName = "loss.png";
    const string Header = "step,loss,photometric,statistical,spatial,learning_rate,stall_s";
    readonly List<StepReport> steps = [];

    public void Add(StepReport report) => steps.Add(report);

    /// <summary>The history up to <paramref name="step"/> (later lines belong to an interrupted stretch).</summary>
    public static LossHistory Load(string runDirectory, long step)
    {
        var history = new LossHistory();
        var path = Path.Combine(runDirectory, CsvName);
        if (!File.Exists(path)) return history;
        foreach (var line in File.ReadLines(path).Skip(1))
        {
            var f = line.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            if (f[0] <= step)
                history.Add(new StepReport((long)f[0], 0, 0, (float)f[1], (float)f[2], (float)f[3], (float)f[4], f[5], 0, f[6]));
        }
        return history;
    }

    public void Save(string runDirectory)
    {
        var lines = steps.Select(s => string.Join(',', new double[] { s.Step, s.Loss, s.Photometric, s.Statistical, s.Spatial, s.LearningRate, s.StallSeconds }
            .Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        AtomicFile.WriteAllText(Path.Combine(runDirectory, CsvName), string.Join('\n', lines.Prepend(Header)) + "\n");
        if (steps.Count > 0) AtomicFile.Write(Path.Combine(runDirectory, PlotName), temp => Plot(temp));
    }

    void Plot(string path)
    {
        var plot = new Plot();
        double[] x = steps.Select(s => (double)s.Step).ToArray();
        plot.Add.ScatterLine(x, steps.Select(s => (double)s.Loss).ToArray()).LegendText = "total";
        plot.Add.ScatterLine(x, steps.Select(s => (double)s.Photometric).ToArray()).LegendText = "photometric";
        if (steps.Any(s => s.Statistical != 0))
            plot.Add.ScatterLine(x, steps.Select(s => (double)s.Statistical).ToArray()).LegendText = "statistical (unweighted)";
        plot.XLabel("step");
        plot.YLabel("loss");
        plot.ShowLegend();
        plot.SavePng(path, 900, 500);
    }
}

using System.CommandLine;
using System.Globalization;
using DistDepth.Dataset;
using DistDepth.TrainingCore.Evaluation;
using DistDepth.TrainingCore.RealRgbd;
using Spectre.Console;

namespace DistDepth.Cli.Commands;

/// <summary>The three columns `evaluate` prints: the model at metric scale, the model median-scaled, and a flat prediction at the GT median.</summary>
public sealed record Evaluation(DepthErrors Metric, DepthErrors MedianScaled, DepthErrors FlatAtGtMedian);

/// <summary>`distdepth evaluate`: depth errors of a trained run against a dataset's ground-truth depth.</summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Training run folder (run.json + checkpoint.bin)", Required = true };
        var data = new Option<string>("--data") { Description = "Dataset folder with ground-truth depth (simulated, or `import rgbd`)", Required = true };
        var scenes = new Option<string[]>("--scenes") { Description = "Evaluate only these scene ids (e.g. the ones trained with --exclude-scenes)", AllowMultipleArgumentsPerToken = true };
        var sequences = new Option<string[]>("--sequences") { Description = "Evaluate only these sequence ids", AllowMultipleArgumentsPerToken = true };
        var cap = new Option<double>("--cap") { Description = "Depth cap, metres: GT beyond it is ignored, predictions are clamped to it", DefaultValueFactory = _ => 10 };
        var command = new Command("evaluate",
            "AbsRel, SqRel, RMSE, RMSElog, delta<1.25^k and MAE of a trained model on a dataset's left views: metric scale, median-scaled " +
            "(their tables' protocol) and a flat prediction at the GT median side by side; NYUv2 in the Eigen crop")
        {
            model, data, scenes, sequences, cap,
        };
        command.SetAction((p, ct) => CommandRunner.RunAsync(async ct =>
        {
            Print(await EvaluateAsync(p.GetValue(model)!, p.GetValue(data)!, p.GetValue(scenes) ?? [], p.GetValue(sequences) ?? [], p.GetValue(cap), ct));
            return 0;
        }, ct));
        return command;
    }

    public static async Task<Evaluation> EvaluateAsync(string run, string dataDirectory, IReadOnlyCollection<string> scenes,
        IReadOnlyCollection<string> sequenceIds, double cap, CancellationToken ct)
    {
        if (!(cap > 0.01)) throw new ArgumentException($"--cap {cap}: must exceed 0.01 m");
        var reader = DatasetReader.Open(dataDirectory);
        var chosen = reader.Sequences.Where(s => (scenes.Count == 0 || scenes.Contains(s.SceneId)) && (sequenceIds.Count == 0 || sequenceIds.Contains(s.SequenceId))).ToList();
        if (chosen.Count == 0) throw new ArgumentException($"{dataDirectory}: no sequence matches --scenes/--sequences");
        using var predictor = DepthPredictor.Load(run);
        DepthMetrics metric = new(cap), scaled = new(cap, medianScaling: true), flat = new(cap, medianScaling: true);
        foreach (var sequence in chosen)
            foreach (var frame in await reader.ReadSequenceAsync(sequence.SequenceId, ct))
            {
                ct.ThrowIfCancellationRequested();
                if (frame.Depth is null)
                    throw new InvalidDataException($"{dataDirectory}: sequence {frame.SequenceId} frame {frame.FrameIndex} has no `depth` column value; evaluation needs ground truth");
                var gt = ImageCodec.DecodeDepth(frame.Depth);
                var groundTruth = Cropped(gt, RgbdFrames.EvalCrop(frame));
                var prediction = predictor.Predict(ImageCodec.DecodeRgb(frame.Left));
                // The GT may have another resolution than the image: resample the prediction to it.
                var metres = gt.Width == prediction.Width && gt.Height == prediction.Height ? prediction.Metres : Resize(prediction, gt.Width, gt.Height);
                metric.Add(metres, groundTruth);
                scaled.Add(metres, groundTruth);
                // Any constant, median-scaled, is the GT median: what knowing only the scene's typical depth scores.
                flat.Add(Enumerable.Repeat(1f, metres.Length).ToArray(), groundTruth);
            }
        return new Evaluation(metric.Result(), scaled.Result(), flat.Result());
    }

    /// <summary>GT outside the benchmark's evaluation crop (x0, y0, x1, y1; end exclusive) set to 0, i.e. not evaluated.</summary>
    static float[] Cropped(DepthMap gt, int[]? crop)
    {
        if (crop is null) return gt.Metres;
        var metres = new float[gt.Metres.Length];
        for (int y = Math.Max(0, crop[1]); y < Math.Min(gt.Height, crop[3]); y++)
            for (int x = Math.Max(0, crop[0]); x < Math.Min(gt.Width, crop[2]); x++)
                metres[y * gt.Width + x] = gt.Metres[y * gt.Width + x];
        return metres;
    }

    static float[] Resize(DepthMap depth, int width, int height)
    {
        using var source = OpenCvSharp.Mat.FromPixelData(depth.Height, depth.Width, OpenCvSharp.MatType.CV_32FC1, depth.Metres);
        using var resized = new OpenCvSharp.Mat();
        OpenCvSharp.Cv2.Resize(source, resized, new OpenCvSharp.Size(width, height), 0, 0, OpenCvSharp.InterpolationFlags.Linear);
        resized.GetArray(out float[] values);
        return values;
    }

    internal static void Print(Evaluation e)
    {
        // One metric per row: the usual one-line table wraps unreadably on an 80-column terminal.
        var table = new Table().AddColumns("metric", "metric scale", "median-scaled", "flat at GT median");
        foreach (var (name, value) in new (string, Func<DepthErrors, double>)[]
                 {
                     ("AbsRel", x => x.AbsRel), ("SqRel", x => x.SqRel), ("RMSE (m)", x => x.Rmse), ("RMSElog", x => x.RmseLog), ("delta < 1.25", x => x.Delta1),
                     ("delta < 1.25^2", x => x.Delta2), ("delta < 1.25^3", x => x.Delta3), ("MAE (m)", x => x.Mae),
                 })
            table.AddRow(name, F(value(e.Metric)), F(value(e.MedianScaled)), F(value(e.FlatAtGtMedian)));
        table.AddRow("median pred/GT", F(e.Metric.MedianRatio), "1 (scaled)", "1 (scaled)");
        table.AddRow("images", e.Metric.Images.ToString(CultureInfo.InvariantCulture), "", "");
        AnsiConsole.Write(table);
    }

    static string F(double v) => v.ToString("F4", CultureInfo.InvariantCulture);
}

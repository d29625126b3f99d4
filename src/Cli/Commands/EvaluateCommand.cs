using System.CommandLine;
using System.Globalization;
using DistDepth.Dataset;
using DistDepth.TrainingCore.Evaluation;
using Spectre.Console;

namespace DistDepth.Cli.Commands;

/// <summary>`distdepth evaluate`: depth errors of a trained run against a dataset's ground-truth depth.</summary>
public static class EvaluateCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Training run folder (run.json + checkpoint.bin)", Required = true };
        var data = new Option<string>("--data") { Description = "Dataset folder with ground-truth depth", Required = true };
        var scenes = new Option<string[]>("--scenes") { Description = "Evaluate only these scene ids (e.g. the ones trained with --exclude-scenes)", AllowMultipleArgumentsPerToken = true };
        var sequences = new Option<string[]>("--sequences") { Description = "Evaluate only these sequence ids", AllowMultipleArgumentsPerToken = true };
        var cap = new Option<double>("--cap") { Description = "Depth cap, metres: GT beyond it is ignored, predictions are clamped to it", DefaultValueFactory = _ => 10 };
        var median = new Option<bool>("--median-scaling") { Description = "Scale each prediction by median(GT)/median(pred) first (their protocol; hides metric-scale errors)" };
        var command = new Command("evaluate", "AbsRel, SqRel, RMSE, RMSElog, delta<1.25^k and MAE of a trained model on a dataset's left views")
        {
            model, data, scenes, sequences, cap, median,
        };
        command.SetAction((p, ct) => CommandRunner.RunAsync(async ct =>
        {
            var errors = await EvaluateAsync(p.GetValue(model)!, p.GetValue(data)!, p.GetValue(scenes) ?? [], p.GetValue(sequences) ?? [],
                p.GetValue(cap), p.GetValue(median), ct);
            Print(errors, p.GetValue(median));
            return 0;
        }, ct));
        return command;
    }

    public static async Task<DepthErrors> EvaluateAsync(string run, string dataDirectory, IReadOnlyCollection<string> scenes,
        IReadOnlyCollection<string> sequenceIds, double cap, bool medianScaling, CancellationToken ct)
    {
        if (!(cap > 0.01)) throw new ArgumentException($"--cap {cap}: must exceed 0.01 m");
        var reader = DatasetReader.Open(dataDirectory);
        var chosen = reader.Sequences.Where(s => (scenes.Count == 0 || scenes.Contains(s.SceneId)) && (sequenceIds.Count == 0 || sequenceIds.Contains(s.SequenceId))).ToList();
        if (chosen.Count == 0) throw new ArgumentException($"{dataDirectory}: no sequence matches --scenes/--sequences");
        using var predictor = DepthPredictor.Load(run);
        var metrics = new DepthMetrics(cap, medianScaling);
        foreach (var sequence in chosen)
            foreach (var frame in await reader.ReadSequenceAsync(sequence.SequenceId, ct))
            {
                ct.ThrowIfCancellationRequested();
                if (frame.Depth is null)
                    throw new InvalidDataException($"{dataDirectory}: sequence {frame.SequenceId} frame {frame.FrameIndex} has no `depth` column value; evaluation needs ground truth");
                var gt = ImageCodec.DecodeDepth(frame.Depth);
                var image = ImageCodec.DecodeRgb(frame.Left);
                var prediction = predictor.Predict(image);
                // The GT may have another resolution than the image: resample the prediction to it.
                metrics.Add(gt.Width == prediction.Width && gt.Height == prediction.Height ? prediction.Metres : Resize(prediction, gt.Width, gt.Height), gt.Metres);
            }
        return metrics.Result();
    }

    static float[] Resize(DepthMap depth, int width, int height)
    {
        using var source = OpenCvSharp.Mat.FromPixelData(depth.Height, depth.Width, OpenCvSharp.MatType.CV_32FC1, depth.Metres);
        using var resized = new OpenCvSharp.Mat();
        OpenCvSharp.Cv2.Resize(source, resized, new OpenCvSharp.Size(width, height), 0, 0, OpenCvSharp.InterpolationFlags.Linear);
        resized.GetArray(out float[] values);
        return values;
    }

    internal static void Print(DepthErrors e, bool medianScaling)
    {
        // One metric per row: the usual one-line table wraps unreadably on an 80-column terminal.
        var table = new Table().AddColumns("metric", medianScaling ? "per-image median scaling" : "metric scale (no median scaling)");
        foreach (var (name, value) in new[]
                 {
                     ("AbsRel", e.AbsRel), ("SqRel", e.SqRel), ("RMSE (m)", e.Rmse), ("RMSElog", e.RmseLog), ("delta < 1.25", e.Delta1),
                     ("delta < 1.25^2", e.Delta2), ("delta < 1.25^3", e.Delta3), ("MAE (m)", e.Mae), ("median pred/GT", e.MedianRatio),
                 })
            table.AddRow(name, value.ToString("F4", CultureInfo.InvariantCulture));
        table.AddRow("images", e.Images.ToString(CultureInfo.InvariantCulture));
        AnsiConsole.Write(table);
    }
}

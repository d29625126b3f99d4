namespace DistDepth.TrainingCore.Evaluation;

/// <summary>The standard depth errors, each the mean of per-image values (monodepth2's convention).</summary>
/// <param name="MedianRatio">Median over images of median(pred / GT), before any median scaling: 1 means metric scale.</param>
public sealed record DepthErrors(
    double AbsRel, double SqRel, double Rmse, double RmseLog, double Delta1, double Delta2, double Delta3, double Mae,
    double MedianRatio, int Images);

/// <summary>
/// Accumulates errors image by image over pixels with 0.01 &lt; GT &lt;= cap; predictions are clamped
/// to [1e-3, cap] (METHOD.md, Evaluation). Median scaling multiplies each prediction by
/// median(GT) / median(pred) first: their protocol, not the metric-scale claim, hence off by default.
/// </summary>
public sealed class DepthMetrics(double cap = 10, bool medianScaling = false)
{
    const double MinDepth = 0.01, MinPrediction = 1e-3;
    readonly List<double[]> images = [];
    readonly List<double> ratios = [];

    /// <param name="prediction">Depth at the GT's resolution, metres.</param>
    public void Add(float[] prediction, float[] groundTruth)
    {
        if (prediction.Length != groundTruth.Length) throw new ArgumentException($"prediction has {prediction.Length} pixels, GT {groundTruth.Length}");
        var valid = Enumerable.Range(0, groundTruth.Length).Where(i => groundTruth[i] > MinDepth && groundTruth[i] <= cap).ToArray();
        if (valid.Length == 0) return;
        var g = valid.Select(i => (double)groundTruth[i]).ToArray();
        var p = valid.Select(i => (double)prediction[i]).ToArray();
        double ratio = Median(p.Zip(g, (a, b) => a / b));
        ratios.Add(ratio);
        double scale = medianScaling ? Median(g) / Median(p) : 1;
        p = p.Select(v => Math.Clamp(v * scale, MinPrediction, cap)).ToArray();

        double n = g.Length, absRel = 0, sqRel = 0, se = 0, seLog = 0, mae = 0, d1 = 0, d2 = 0, d3 = 0;
        for (int i = 0; i < g.Length; i++)
        {
            double e = g[i] - p[i], r = Math.Max(g[i] / p[i], p[i] / g[i]), log = Math.Log(g[i]) - Math.Log(p[i]);
            absRel += Math.Abs(e) / g[i];
            sqRel += e * e / g[i];
            se += e * e;
            seLog += log * log;
            mae += Math.Abs(e);
            d1 += r < 1.25 ? 1 : 0;
            d2 += r < 1.25 * 1.25 ? 1 : 0;
            d3 += r < 1.25 * 1.25 * 1.25 ? 1 : 0;
        }
        images.Add([absRel / n, sqRel / n, Math.Sqrt(se / n), Math.Sqrt(seLog / n), d1 / n, d2 / n, d3 / n, mae / n]);
    }

    public DepthErrors Result()
    {
        if (images.Count == 0) throw new InvalidDataException($"no pixels with ground truth in (0.01, {cap}] m to evaluate");
        double M(int k) => images.Average(m => m[k]);
        return new DepthErrors(M(0), M(1), M(2), M(3), M(4), M(5), M(6), M(7), Median(ratios), images.Count);
    }

    static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}

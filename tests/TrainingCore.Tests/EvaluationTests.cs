using DistDepth.Dataset;
using DistDepth.TrainingCore.Evaluation;

namespace DistDepth.TrainingCore.Tests;

public class EvaluationTests
{
    static readonly float[] Gt = [0.005f, 1, 2, 4, 12];   // the first and last are outside (0.01, 10]

    [Fact]
    public void PerfectPredictionHasNoErrorAndIgnoresInvalidGround()
    {
        var metrics = new DepthMetrics();
        metrics.Add([100, 1, 2, 4, -5], Gt);
        var e = metrics.Result();
        Assert.Equal((0, 0, 0, 0, 1, 1), (e.AbsRel, e.SqRel, e.Rmse, e.Mae, e.Delta1, e.Delta3));
        Assert.Equal(1, e.MedianRatio);
    }

    [Fact]
    public void DoubledDepthIsWrongByAFactorOfTwoUnlessMedianScaled()
    {
        var metrics = new DepthMetrics();
        metrics.Add([0, 2, 4, 8, 0], Gt);
        var e = metrics.Result();
        Assert.Equal(1.0, e.AbsRel, 6);
        Assert.Equal((1 + 2 + 4) / 3.0, e.SqRel, 6);
        Assert.Equal(Math.Sqrt((1 + 4 + 16) / 3.0), e.Rmse, 6);
        Assert.Equal(Math.Log(2), e.RmseLog, 6);
        Assert.Equal((0, 0, 0), (e.Delta1, e.Delta2, e.Delta3));   // 2 > 1.25^3
        Assert.Equal(2, e.MedianRatio);

        var scaled = new DepthMetrics(medianScaling: true);
        scaled.Add([0, 2, 4, 8, 0], Gt);
        Assert.Equal(0, scaled.Result().AbsRel, 6);
        Assert.Equal(2, scaled.Result().MedianRatio);
    }

    [Fact]
    public void PredictionsAreClampedToTheCap()
    {
        var metrics = new DepthMetrics(cap: 5);
        metrics.Add([1, 1, 2, 40, 1], [1, 1, 2, 5, 1]);
        Assert.Equal(0, metrics.Result().AbsRel, 6);
    }

    [Fact]
    public void PointCloudBackProjectsWithTheIntrinsics()
    {
        var depth = new DepthMap(2, 1, [2, 0]);
        var colour = new RgbImage(2, 1, [10, 20, 30, 0, 0, 0]);
        var ply = PointCloud.Ply(depth, colour, new CameraIntrinsics(4, 4, 1, 0));
        var text = System.Text.Encoding.ASCII.GetString(ply);
        Assert.Contains("element vertex 1\n", text);
        var body = ply.AsSpan(text.IndexOf("end_header\n") + "end_header\n".Length);
        Assert.Equal(15, body.Length);
        Assert.Equal(-0.5f, BitConverter.ToSingle(body[..4]));
        Assert.Equal(2f, BitConverter.ToSingle(body[8..12]));
        Assert.Equal([10, 20, 30], body[12..].ToArray());

        var k = PointCloud.FromHfov(128, 96, 90);
        Assert.Equal((64f, 63.5f, 47.5f), (k.Fx, k.Cx, k.Cy));
    }
}

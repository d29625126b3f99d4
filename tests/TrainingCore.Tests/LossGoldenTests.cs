using DistDepth.TrainingCore.Geometry;
using DistDepth.TrainingCore.Losses;
using DistDepth.TrainingCore.Networks;
using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Tests;

/// <summary>Each loss term and the geometry against PyTorch 1.13 on the inputs of golden/make_goldens.py.</summary>
public class LossGoldenTests
{
    readonly Goldens g = Goldens.Load();

    Tensor Depth0 => new DisparityToDepth().Depth(g["disp0"]);
    Tensor ToPrevious => RigidTransform.FromAxisAngle(g["axis_prev"], g["translation_prev"], invert: true);
    Tensor ToNext => RigidTransform.FromAxisAngle(g["axis_next"], g["translation_next"], invert: false);
    Tensor StereoT => RigidTransform.Stereo(g["baseline"], g["flipped"] > 0.5);

    LossInputs Inputs => new(g["target"], g["prev"], g["next"], g["right"], g["K"], g["baseline"], g["flipped"] > 0.5, g["expert"]);

    [Fact]
    public void GeometryMatchesPyTorch()
    {
        Goldens.AssertClose(g["expected_to_prev"], ToPrevious);
        Goldens.AssertClose(g["expected_to_next"], ToNext);
        Goldens.AssertClose(g["expected_stereo"], StereoT);
        Goldens.AssertClose(g["expected_depth0"], Depth0);
        Goldens.AssertClose(g["expected_warped_right"], ViewSynthesis.Warp(g["right"], Depth0, g["K"], StereoT));
    }

    [Fact]
    public void PhotometricTermsMatchPyTorch()
    {
        Goldens.AssertClose(g.Scalar("ssim_dissimilarity_mean"), Ssim.Dissimilarity(g["target"], g["right"]).mean());
        Goldens.AssertClose(g.Scalar("photometric_mean"), PhotometricLoss.Error(g["target"], g["right"]).mean());

        Tensor[] sources = [g["prev"], g["next"], g["right"]];
        Tensor[] transforms = [ToPrevious, ToNext, StereoT];
        var warped = sources.Select((s, k) => ViewSynthesis.Warp(s, Depth0, g["K"], transforms[k])).ToArray();
        var identity = MinimumReprojectionLoss.IdentityErrors(g["target"], sources);
        Goldens.AssertClose(g.Scalar("min_reprojection"), MinimumReprojectionLoss.Loss(g["target"], warped, identity, g["noise0"]));
    }

    [Fact]
    public void SmoothnessMatchesPyTorch()
    {
        Goldens.AssertClose(g.Scalar("smoothness_scale0"), SmoothnessLoss.Loss(g["disp0"], g["target"]));
        Goldens.AssertClose(g.Scalar("smoothness_scale2"), SmoothnessLoss.Loss(g["disp2"], nn.functional.avg_pool2d(g["target"], 4)));
    }

    [Fact]
    public void DistillationTermsMatchPyTorch()
    {
        var perImage = new StatisticalDistillationLoss();
        var aligned = perImage.AlignedExpert(g["expert"], Depth0);
        Goldens.AssertClose(g["expected_aligned"], aligned);
        Goldens.AssertClose(g.Scalar("statistical_image"), perImage.Loss(aligned, Depth0));

        var rowwise = new StatisticalDistillationLoss(ExpertAlignment.Rowwise);
        Goldens.AssertClose(g.Scalar("statistical_rowwise"), rowwise.Loss(rowwise.AlignedExpert(g["expert"], Depth0), Depth0));

        var median = new StatisticalDistillationLoss(ExpertAlignment.Median);
        var alignedMedian = median.AlignedExpert(g["expert"], Depth0);
        Goldens.AssertClose(g["expected_aligned_median"], alignedMedian);
        Goldens.AssertClose(g.Scalar("statistical_median"), median.Loss(alignedMedian, Depth0));

        Goldens.AssertClose(g.Scalar("spatial"), new SpatialRefinementLoss().Loss(aligned, Depth0));
        Goldens.AssertClose(g.Scalar("spatial_quantile_0_9"), new SpatialRefinementLoss(EdgeQuantile: 0.9).Loss(aligned, Depth0));
    }

    [Fact]
    public void TotalLossMatchesPyTorch()
    {
        var outputs = new NetworkOutputs([g["disp0"], g["disp1"], g["disp2"], g["disp3"]], ToPrevious, ToNext);
        var terms = new DistDepthLoss(new DistDepthLossOptions(), ReplayNoise()).Compute(Inputs, outputs);
        Goldens.AssertClose(g.Scalar("total"), terms.Total);
        Goldens.AssertClose(g.Scalar("total_photometric"), terms.Photometric);
        Goldens.AssertClose(g.Scalar("total_statistical"), terms.Statistical);
        Goldens.AssertClose(g.Scalar("total_spatial"), terms.Spatial);

        var baseline = new DistDepthLoss(new DistDepthLossOptions().WithoutDistillation(), ReplayNoise()).Compute(Inputs, outputs);
        Goldens.AssertClose(g.Scalar("total_no_distill"), baseline.Total);

        var early = new DistDepthLoss(new DistDepthLossOptions().EarlyRevision(), ReplayNoise()).Compute(Inputs, outputs);
        Goldens.AssertClose(g.Scalar("total_early_revision"), early.Total);
    }

    // The identity noise PyTorch drew, handed out scale by scale.
    Func<long[], Tensor> ReplayNoise()
    {
        int scale = 0;
        return _ => g[$"noise{scale++}"];
    }
}

using DistDepth.TrainingCore.Geometry;
using DistDepth.TrainingCore.Losses;
using DistDepth.TrainingCore.Networks;
using TorchSharp;
using static TorchSharp.torch;

namespace DistDepth.TrainingCore;

/// <summary>
/// One batch as the trainer consumes it: the networks see the augmented frames, the loss the
/// un-augmented ones (METHOD.md: colour jitter must not leak into the photometric targets).
/// </summary>
public sealed record TrainingBatch(Tensor AugmentedTarget, Tensor AugmentedPrevious, Tensor AugmentedNext, LossInputs Loss);

/// <summary>DepthNet + PoseNet + the DistDepth objective + the optimiser: one optimisation step at a time.</summary>
public sealed class DistDepthTrainer : IDisposable
{
    /// <summary>
    /// Where an untrained DepthNet starts, metres. Photometric warping only converges from within a
    /// few pixels of the true disparity: the sigmoid's midpoint is 0.2 m, some 30 px of stereo
    /// disparity off for a 2 m room at 128 px, and there the auto-mask prefers the identity
    /// everywhere and no gradient flows. A typical indoor depth starts inside the basin.
    /// </summary>
    public const double InitialDepthM = 2.0;

    public DepthNet Depth { get; }
    public PoseNet Pose { get; }
    readonly DistDepthLoss loss;
    readonly TorchSharp.Modules.OptimizerHelper optimizer;

    /// <param name="loadEncoderWeights">False when a checkpoint will replace every weight (a resumed run).</param>
    public DistDepthTrainer(TrainingOptions options, Func<long[], Tensor>? identityNoise = null, bool loadEncoderWeights = true)
    {
        Depth = new DepthNet(options.DepthEncoderLayers, options.EncoderWeights, loadEncoderWeights);
        Depth.StartAt(new DisparityToDepth(options.Loss.MinDepth, options.Loss.MaxDepth).Sigmoid(InitialDepthM));
        Pose = new PoseNet(options.PoseEncoderLayers, options.EncoderWeights, loadEncoderWeights);
        loss = new DistDepthLoss(options.Loss, identityNoise);
        var parameters = Depth.parameters().Concat(Pose.parameters());
        optimizer = options.Optimizer == OptimizerKind.Adam
            ? (TorchSharp.Modules.OptimizerHelper)optim.Adam(parameters, options.LearningRate)
            : optim.AdamW(parameters, options.LearningRate, weight_decay: options.WeightDecay);
    }

    public double LearningRate
    {
        get => optimizer.ParamGroups.First().LearningRate;
        set { foreach (var group in optimizer.ParamGroups) group.LearningRate = value; }
    }

    /// <returns>
    /// The loss terms as plain numbers (the tensors die with the step's dispose scope). A non-finite
    /// loss is returned without updating anything, so the networks keep their last good weights.
    /// </returns>
    public (float total, float photometric, float statistical, float spatial) Step(TrainingBatch batch)
    {
        using var scope = NewDisposeScope();
        Depth.train();
        Pose.train();
        optimizer.zero_grad();
        var terms = loss.Compute(batch.Loss, Forward(batch));
        var result = (terms.Total.item<float>(), terms.Photometric.item<float>(), terms.Statistical.item<float>(), terms.Spatial.item<float>());
        if (!float.IsFinite(result.Item1)) return result;
        terms.Total.backward();
        optimizer.step();
        return result;
    }

    /// <summary>Weights of both networks and the optimiser's moments, in TorchSharp's format.</summary>
    public void Save(BinaryWriter writer)
    {
        Depth.save(writer);
        Pose.save(writer);
        optimizer.save_state_dict(writer);
    }

    public void Load(BinaryReader reader)
    {
        Depth.load(reader);
        Pose.load(reader);
        optimizer.load_state_dict(reader);
    }

    NetworkOutputs Forward(TrainingBatch batch)
    {
        var disparities = Depth.forward(batch.AugmentedTarget);
        // PoseNet always sees (earlier, later); the previous-frame motion is inverted.
        var (previousAxis, previousTranslation) = Pose.forward(batch.AugmentedPrevious, batch.AugmentedTarget);
        var (nextAxis, nextTranslation) = Pose.forward(batch.AugmentedTarget, batch.AugmentedNext);
        return new NetworkOutputs(disparities,
            RigidTransform.FromAxisAngle(previousAxis, previousTranslation, invert: true),
            RigidTransform.FromAxisAngle(nextAxis, nextTranslation, invert: false));
    }

    public void Dispose()
    {
        optimizer.Dispose();
        Depth.Dispose();
        Pose.Dispose();
    }
}

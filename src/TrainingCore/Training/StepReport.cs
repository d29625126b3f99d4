namespace DistDepth.TrainingCore.Training;

/// <summary>One finished step, for progress displays and logs.</summary>
/// <param name="Step">Steps completed, 1-based.</param>
/// <param name="StallSeconds">Time this step waited for the loader.</param>
public sealed record StepReport(
    long Step, long TotalSteps, int Epoch, float Loss, float Photometric, float Statistical, float Spatial,
    double LearningRate, double StepSeconds, double StallSeconds);

/// <summary>The loss was not finite: training stopped without saving, the last checkpoint is the last good one.</summary>
public sealed class TrainingDivergedException(string message) : Exception(message);

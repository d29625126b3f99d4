using DistDepth.Sim.V1;

namespace DistDepth.SimBridge;

/// <summary>
/// One sequence to generate, fully determined by the plan: the same job renders the same frames on
/// any worker, any machine, any retry. Per-sequence rig randomisation follows SimSIN.
/// </summary>
public sealed record SequenceJob(
    string SceneId,
    int SceneIndex,
    int SequenceIndex,
    string SequenceId,
    ulong Seed,
    TrajectoryMode Mode,
    float CameraHeightM,
    (float Pitch, float Yaw, float Roll) MountRotationRad);

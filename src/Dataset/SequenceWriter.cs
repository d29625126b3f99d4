namespace DistDepth.Dataset;

/// <summary>
/// Collects one sequence's frames and hands them to the dataset only when complete, so a sequence
/// is either wholly in the dataset or not at all. Frames are held encoded in memory until then.
/// </summary>
public sealed class SequenceWriter
{
    readonly DatasetWriter dataset;
    readonly List<StereoFrame> frames = [];
    bool completed;

    internal SequenceWriter(DatasetWriter dataset, string sceneId, string sequenceId)
    {
        this.dataset = dataset;
        SceneId = sceneId;
        SequenceId = sequenceId;
    }

    public string SceneId { get; }
    public string SequenceId { get; }
    public int Count => frames.Count;

    public void Append(StereoFrame frame)
    {
        if (completed) throw new InvalidOperationException($"sequence '{SequenceId}' is already complete");
        if (frame.SequenceId != "" && frame.SequenceId != SequenceId)
            throw new ArgumentException($"frame belongs to sequence '{frame.SequenceId}', not '{SequenceId}'");
        if (frames.Count > 0 && frame.FrameIndex <= frames[^1].FrameIndex)
            throw new ArgumentException($"sequence '{SequenceId}': frame {frame.FrameIndex} after frame {frames[^1].FrameIndex} (frames must be in increasing order)");
        frames.Add(frame with { DatasetId = dataset.DatasetId, SceneId = SceneId, SequenceId = SequenceId });
    }

    public async Task CompleteAsync(CancellationToken ct = default)
    {
        if (frames.Count == 0) throw new InvalidOperationException($"sequence '{SequenceId}' has no frames");
        completed = true;
        await dataset.CommitAsync(this, frames, ct);
    }
}

using System.Text.Json.Nodes;
using DistDepth.Dataset;

namespace DistDepth.Capture;

/// <summary>
/// What to record: UniSIN-style, K sequences of N consecutive stereo pairs of one scene
/// (<see cref="Sequences"/> null: as many as a recording holds).
/// </summary>
public sealed record CapturePlan(string SceneId, int? Sequences, int FramesPerSequence, FrameSource Source)
{
    public string SequenceId(int k) => $"{SceneId}-seq{k:D3}";
}

public readonly record struct CaptureProgress(int SequencesDone, int FramesInSequence, long FramesWritten);

/// <summary>What a run did: sequences written now and before, and whether the recording ran out.</summary>
public sealed record CaptureReport(int Written, int AlreadyThere, bool RecordingEnded, int DroppedFrames);

/// <summary>
/// Records a source into a dataset through <see cref="DatasetWriter"/>, one whole sequence at a time, so
/// a killed run leaves no partial sequence and a re-run records only the missing ones. A recording (not
/// a live camera) is replayed from the start, skipping the frames of sequences already in the dataset,
/// so a resumed import yields the same sequences as an uninterrupted one.
/// </summary>
public sealed class CaptureSession(IStereoSource source, CapturePlan plan, PreviewWriter? preview = null)
{
    // Encoding runs on the thread pool while the next frames are read; this bounds frames held raw.
    static readonly int MaxPendingFrames = Math.Max(2, Environment.ProcessorCount * 2);

    public async Task<CaptureReport> RunAsync(DatasetWriter writer, IProgress<CaptureProgress>? progress = null, CancellationToken ct = default)
    {
        if (plan.Sequences <= 0 || plan.FramesPerSequence <= 0)
            throw new ArgumentException("--sequences and --frames must be positive");
        if (plan.Sequences is null && source.IsLive)
            throw new ArgumentException("a live camera needs --sequences");
        int already = 0, written = 0;
        long position = 0, framesWritten = 0;
        for (int k = 0; plan.Sequences is null || k < plan.Sequences; k++)
        {
            ct.ThrowIfCancellationRequested();
            if (writer.Contains(plan.SequenceId(k)))
            {
                already++;
                continue;
            }
            long start = (long)k * plan.FramesPerSequence;
            if (!source.IsLive && position < start)
            {
                if (!source.Skip((int)(start - position))) return new CaptureReport(written, already, true, 0);
                position = start;
            }
            var frames = await ReadSequenceAsync(n => progress?.Report(new CaptureProgress(already + written, n, framesWritten + n)), ct);
            position += frames.Count;
            if (frames.Count < plan.FramesPerSequence)
                return new CaptureReport(written, already, true, frames.Count);
            var sequence = writer.BeginSequence(plan.SceneId, plan.SequenceId(k));
            foreach (var frame in frames) sequence.Append(frame);
            await sequence.CompleteAsync(ct);
            written++;
            framesWritten += frames.Count;
            progress?.Report(new CaptureProgress(already + written, 0, framesWritten));
        }
        return new CaptureReport(written, already, false, 0);
    }

    async Task<List<StereoFrame>> ReadSequenceAsync(Action<int> onFrame, CancellationToken ct)
    {
        var pending = new Queue<Task<StereoFrame>>();
        var frames = new List<StereoFrame>(plan.FramesPerSequence);
        for (int i = 0; i < plan.FramesPerSequence; i++)
        {
            ct.ThrowIfCancellationRequested();
            var pair = source.Read();
            if (pair is null) break;
            preview?.Offer(pair);
            int index = i;
            pending.Enqueue(Task.Run(() => ToFrame(pair, index), ct));
            if (pending.Count >= MaxPendingFrames) frames.Add(await pending.Dequeue());
            onFrame(i + 1);
        }
        while (pending.Count > 0) frames.Add(await pending.Dequeue());
        return frames;
    }

    StereoFrame ToFrame(StereoPair pair, int index)
    {
        var camera = source.Camera;
        var meta = new JsonObject { ["capture"] = source.Description };
        if (pair.Pose is null) meta["pose"] = "unknown (NaN)";
        if (pair.CorruptedFramesBefore > 0) meta["corrupted_frames_skipped"] = pair.CorruptedFramesBefore;
        return new StereoFrame
        {
            FrameIndex = index,
            TimestampNs = pair.TimestampNs,
            Source = plan.Source,
            Left = ImageCodec.EncodeRgb(pair.Left),
            Right = ImageCodec.EncodeRgb(pair.Right),
            Depth = pair.Depth is null ? null : ImageCodec.EncodeDepth(pair.Depth),
            Width = camera.Width,
            Height = camera.Height,
            Intrinsics = camera.Intrinsics,
            BaselineM = camera.BaselineM,
            // Sources without tracking have no pose; NaN says "unknown" where identity would lie.
            Pose = pair.Pose ?? Enumerable.Repeat(float.NaN, 12).ToArray(),
            MetaJson = meta.ToJsonString(),
        };
    }
}

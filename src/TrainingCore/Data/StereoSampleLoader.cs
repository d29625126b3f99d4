using System.Runtime.CompilerServices;
using System.Threading.Channels;
using DistDepth.Dataset;
using OpenCvSharp;
using DistDepth.TrainingCore.Losses;
using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Data;

/// <summary>A training sample: the frame at <paramref name="Position"/> of a sequence and its neighbours at +-1.</summary>
public readonly record struct SampleRef(string SequenceId, int Position);

/// <param name="SequencesPerWindow">Sequences read and shuffled together: the shuffle is global over
/// sequences and local over frames, so only a window of sequences sits in memory.</param>
/// <param name="Prefetch">Batches decoded ahead of the training step.</param>
public sealed record LoaderOptions(int Width, int Height, int BatchSize, bool RequireExpert, bool Augment = true,
    int SequencesPerWindow = 8, int Prefetch = 3);

/// <summary>A batch ready for the trainer; owns its tensors.</summary>
public sealed class LoadedBatch(TrainingBatch batch, IReadOnlyList<SampleRef> samples) : IDisposable
{
    public TrainingBatch Batch => batch;
    public IReadOnlyList<SampleRef> Samples => samples;

    public void Dispose()
    {
        var l = batch.Loss;
        foreach (var t in new[] { batch.AugmentedTarget, batch.AugmentedPrevious, batch.AugmentedNext,
                     l.Target, l.Previous, l.Next, l.Right, l.Intrinsics, l.Baseline, l.Flipped, l.Expert })
            t.Dispose();
    }
}

/// <summary>
/// Streams shuffled (t-1, t, t+1, right) batches from a dataset's shards, decoded and augmented on a
/// background task so that the training step never waits on PNG decoding. Everything random is a
/// pure function of (seed, epoch, position in the epoch): a resumed run that asks for batch n gets
/// exactly the batch an uninterrupted run got, so the loader's RNG state is just the step counter.
/// </summary>
public sealed class StereoSampleLoader
{
    readonly DatasetReader reader;
    readonly IReadOnlyList<SequenceEntry> sequences;
    readonly IReadOnlyDictionary<string, IReadOnlySet<int>> skippedFrames;
    readonly LoaderOptions options;
    readonly int seed;

    /// <param name="skippedFrames">Per sequence, frame positions no sample may use (curation's flagged frames).</param>
    public StereoSampleLoader(DatasetReader reader, IEnumerable<SequenceEntry> sequences, LoaderOptions options, int seed,
        IReadOnlyDictionary<string, IReadOnlySet<int>>? skippedFrames = null)
    {
        this.reader = reader;
        this.sequences = sequences.OrderBy(s => s.SequenceId, StringComparer.Ordinal).ToList();
        this.skippedFrames = skippedFrames ?? new Dictionary<string, IReadOnlySet<int>>();
        this.options = options;
        this.seed = seed;
        SampleCount = this.sequences.Sum(s => Samples(s).Count());
        if (BatchesPerEpoch == 0)
            throw new ArgumentException($"{reader.Directory}: {SampleCount} training samples (frames with both neighbours in " +
                                        $"{this.sequences.Count} sequences), fewer than one batch of {options.BatchSize}");
    }

    public int SampleCount { get; }

    /// <summary>Incomplete last batches are dropped, as monodepth2 does.</summary>
    public int BatchesPerEpoch => SampleCount / options.BatchSize;

    IEnumerable<SampleRef> Samples(SequenceEntry s)
    {
        var skip = skippedFrames.GetValueOrDefault(s.SequenceId) ?? new HashSet<int>();
        return Enumerable.Range(1, Math.Max(0, s.Frames - 2))
            .Where(p => !skip.Contains(p - 1) && !skip.Contains(p) && !skip.Contains(p + 1))
            .Select(p => new SampleRef(s.SequenceId, p));
    }

    /// <summary>The epoch's sample order, each with the window of sequences it is read with.</summary>
    public IReadOnlyList<(SampleRef Sample, int Window)> Order(int epoch)
    {
        var rng = new Random(Seeds.Of(seed, epoch, -1));
        var shuffled = sequences.ToArray();
        rng.Shuffle(shuffled);
        return shuffled.Chunk(options.SequencesPerWindow).SelectMany((window, w) =>
        {
            var samples = window.SelectMany(Samples).ToArray();
            rng.Shuffle(samples);
            return samples.Select(s => (s, w));
        }).ToList();
    }

    /// <summary>Batches from global step <paramref name="firstStep"/> on, across epochs, until cancelled.</summary>
    public async IAsyncEnumerable<LoadedBatch> ReadAsync(long firstStep, [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var channel = Channel.CreateBounded<LoadedBatch>(options.Prefetch);
        var producer = Task.Run(() => ProduceAsync(firstStep, channel.Writer, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var batch in channel.Reader.ReadAllAsync(ct))
                yield return batch;
        }
        finally
        {
            stop.Cancel();
            try { await producer; } catch (OperationCanceledException) { }
            while (channel.Reader.TryRead(out var unused)) unused.Dispose();
        }
    }

    async Task ProduceAsync(long step, ChannelWriter<LoadedBatch> writer, CancellationToken ct)
    {
        try
        {
            var cache = new WindowCache(reader);
            (int Epoch, IReadOnlyList<(SampleRef Sample, int Window)> Samples) order = (-1, []);
            for (; ; step++)
            {
                int epoch = (int)(step / BatchesPerEpoch), first = (int)(step % BatchesPerEpoch) * options.BatchSize;
                if (order.Epoch != epoch) order = (epoch, Order(epoch));
                var batch = new List<(SampleRef Sample, IReadOnlyList<StereoFrame> Frames, SampleAugmentation Augmentation)>();
                for (int i = first; i < first + options.BatchSize; i++)
                {
                    var (sample, window) = order.Samples[i];
                    var frames = await cache.GetAsync((epoch, window), () => order.Samples.Where(o => o.Window == window).Select(o => o.Sample.SequenceId), sample.SequenceId, ct);
                    var augmentation = options.Augment ? SampleAugmentation.Draw(new Random(Seeds.Of(seed, epoch, i))) : SampleAugmentation.None;
                    batch.Add((sample, frames, augmentation));
                }
                await writer.WriteAsync(Assemble(batch), ct);
            }
        }
        catch (Exception e)
        {
            writer.TryComplete(e);
        }
    }

    LoadedBatch Assemble(List<(SampleRef Sample, IReadOnlyList<StereoFrame> Frames, SampleAugmentation Augmentation)> batch)
    {
        int b = batch.Count, w = options.Width, h = options.Height, plane = w * h;
        var images = new float[4][];
        for (int i = 0; i < 4; i++) images[i] = new float[b * 3 * plane];
        var expert = new float[b * plane];
        var intrinsics = new float[b * 16];
        var baseline = new float[b];
        for (int n = 0; n < b; n++)
        {
            var (sample, frames, _) = batch[n];
            var target = frames[sample.Position];
            var right = target.Right ?? throw Missing(sample, target, "right", "training needs stereo pairs");
            var sources = new[] { frames[sample.Position - 1].Left, target.Left, frames[sample.Position + 1].Left, right };
            for (int i = 0; i < 4; i++) Rgb(sources[i], images[i], n * 3 * plane);
            if (options.RequireExpert)
            {
                if (target.Expert is null) throw Missing(sample, target, "expert", $"run `distdepth expert` on {reader.Directory} first, or train with --no-distill");
                Expert(target, expert, n * plane);
            }
            CheckGeometry(sample, target);
            Intrinsics(target, intrinsics, n * 16);
            baseline[n] = target.BaselineM;
        }

        using var scope = NewDisposeScope();
        var flipped = tensor(batch.Select(s => s.Augmentation.Flip).ToArray());
        Tensor Flip(Tensor t) => where(flipped.view(b, 1, 1, 1), t.flip(3), t);
        var (previous, target0, next, rightView) = (Flip(Image(images[0])), Flip(Image(images[1])), Flip(Image(images[2])), Flip(Image(images[3])));
        var k = tensor(intrinsics).view(b, 4, 4);
        // Mirroring moves the principal point; pixel centres sit at integer coordinates (ViewSynthesis).
        var mirroredCx = (w - 1) - k[.., 0, 2];
        k[.., 0, 2] = where(flipped, mirroredCx, k[.., 0, 2]);
        var loss = new LossInputs(target0, previous, next, rightView, k, tensor(baseline), flipped,
            Flip(tensor(expert).view(b, 1, h, w)));
        var trainingBatch = new TrainingBatch(
            Augmentation.Jitter(target0, batch.Select(s => s.Augmentation.Target).ToArray()),
            Augmentation.Jitter(previous, batch.Select(s => s.Augmentation.Previous).ToArray()),
            Augmentation.Jitter(next, batch.Select(s => s.Augmentation.Next).ToArray()),
            loss);
        var result = new LoadedBatch(trainingBatch, batch.Select(s => s.Sample).ToArray());
        scope.MoveToOuter(trainingBatch.AugmentedTarget, trainingBatch.AugmentedPrevious, trainingBatch.AugmentedNext,
            loss.Target, loss.Previous, loss.Next, loss.Right, loss.Intrinsics, loss.Baseline, loss.Flipped, loss.Expert);
        return result;

        Tensor Image(float[] data) => tensor(data).view(b, 3, h, w);
    }

    // A non-finite baseline or focal length would reach grid_sample's backward as NaN sampling
    // coordinates, which crashes libtorch instead of giving a NaN loss: refuse it here, by name.
    void CheckGeometry(SampleRef sample, StereoFrame frame)
    {
        var k = frame.Intrinsics;
        foreach (var (column, value) in new[] { ("baseline_m", frame.BaselineM), ("fx", k.Fx), ("fy", k.Fy), ("cx", k.Cx), ("cy", k.Cy) })
            if (!float.IsFinite(value) || (value <= 0 && column is "baseline_m" or "fx" or "fy"))
                throw new InvalidDataException($"{reader.Directory}: sequence {sample.SequenceId} frame {frame.FrameIndex} has `{column}` = {value}; " +
                                               "expected a finite, positive value (metres for the baseline, pixels for K)");
    }

    InvalidDataException Missing(SampleRef sample, StereoFrame frame, string column, string hint) =>
        new($"{reader.Directory}: sequence {sample.SequenceId} frame {frame.FrameIndex} has no `{column}` column value; {hint}");

    void Rgb(byte[] png, float[] into, int offset)
    {
        var image = ImageCodec.DecodeRgb(png);
        using var source = Mat.FromPixelData(image.Height, image.Width, MatType.CV_8UC3, image.Pixels);
        using var resized = Resize(source, InterpolationFlags.Area);
        resized.GetArray(out Vec3b[] pixels);
        int plane = options.Width * options.Height;
        for (int i = 0; i < plane; i++)
        {
            into[offset + i] = pixels[i].Item0 / 255f;
            into[offset + plane + i] = pixels[i].Item1 / 255f;
            into[offset + 2 * plane + i] = pixels[i].Item2 / 255f;
        }
    }

    /// <summary>
    /// The expert map at the training size. 0 marks pixels without a value (masked by the losses), so
    /// it is resized as a mask-weighted mean: a training pixel keeps a value where at least half of
    /// what it is interpolated from was valid, and is 0 otherwise.
    /// </summary>
    void Expert(StereoFrame frame, float[] into, int offset)
    {
        var values = ExpertMap.Decode(frame, out int width, out int height);
        var valid = values.Select(v => v > 0 ? 1f : 0f).ToArray();
        using var source = Mat.FromPixelData(height, width, MatType.CV_32FC1, values);
        using var sourceMask = Mat.FromPixelData(height, width, MatType.CV_32FC1, valid);
        using var resized = Resize(source, InterpolationFlags.Linear);
        using var resizedMask = Resize(sourceMask, InterpolationFlags.Linear);
        resized.GetArray(out float[] data);
        resizedMask.GetArray(out float[] weight);
        for (int i = 0; i < data.Length; i++) into[offset + i] = weight[i] >= 0.5f ? data[i] / weight[i] : 0;
    }

    Mat Resize(Mat source, InterpolationFlags downsampling)
    {
        var resized = new Mat();
        if (source.Cols == options.Width && source.Rows == options.Height) source.CopyTo(resized);
        else Cv2.Resize(source, resized, new OpenCvSharp.Size(options.Width, options.Height), 0, 0,
            source.Cols > options.Width ? downsampling : InterpolationFlags.Linear);
        return resized;
    }

    /// <summary>K scaled to the training size (pixel centres at integer coordinates), as a 4x4.</summary>
    void Intrinsics(StereoFrame frame, float[] into, int offset)
    {
        float sx = (float)options.Width / frame.Width, sy = (float)options.Height / frame.Height;
        var c = frame.Intrinsics;
        float[] k = [c.Fx * sx, 0, (c.Cx + 0.5f) * sx - 0.5f, 0, 0, c.Fy * sy, (c.Cy + 0.5f) * sy - 0.5f, 0, 0, 0, 1, 0, 0, 0, 0, 1];
        k.CopyTo(into, offset);
    }

    /// <summary>The decoded-but-still-PNG frames of the last two windows of sequences.</summary>
    sealed class WindowCache(DatasetReader reader)
    {
        readonly List<((int, int) Key, Dictionary<string, IReadOnlyList<StereoFrame>> Frames)> windows = [];

        public async Task<IReadOnlyList<StereoFrame>> GetAsync((int, int) key, Func<IEnumerable<string>> members, string sequenceId, CancellationToken ct)
        {
            var window = windows.FirstOrDefault(x => x.Key == key).Frames;
            if (window is null)
            {
                window = [];
                foreach (var id in members().Distinct())
                    window[id] = await reader.ReadSequenceAsync(id, ct);
                windows.Add((key, window));
                if (windows.Count > 2) windows.RemoveAt(0);
            }
            return window[sequenceId];
        }
    }
}

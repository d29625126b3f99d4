using System.Threading.Channels;
using DistDepth.Dataset;

namespace DistDepth.Curation;

/// <summary>
/// Curates a whole dataset: sequences are read one at a time (a sequence owns its row groups) into
/// a two-slot pipeline, and each sequence's frames are decoded and measured in parallel over all
/// cores, so memory holds about three sequences whatever the dataset's size. Shards are checked
/// against their manifest checksums on the way, so curation never judges altered data.
/// </summary>
public static class CurationRun
{
    public static async Task<CuratedManifest> RunAsync(string directory, CurationConfig config,
        IProgress<long>? framesDone = null, CancellationToken ct = default)
    {
        var reader = DatasetReader.Open(directory);
        string manifestHash = CuratedManifest.ManifestHash(directory);
        var queue = Channel.CreateBounded<(SequenceEntry Entry, string Shard, IReadOnlyList<StereoFrame> Frames)>(2);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct); // a failed consumer must not leave the reader blocked
        var producer = Task.Run(async () =>
        {
            try
            {
                foreach (var shard in reader.Manifest.Shards)
                {
                    await CheckShardBytesAsync(reader, shard, stop.Token);
                    foreach (var sequence in shard.Sequences)
                        await queue.Writer.WriteAsync((sequence, reader.PathOf(shard), await ReadAsync(reader, shard, sequence, stop.Token)), stop.Token);
                }
                queue.Writer.Complete();
            }
            catch (Exception e)
            {
                queue.Writer.Complete(e);
            }
        }, stop.Token);

        var verdicts = new List<SequenceVerdict>();
        try
        {
            await foreach (var (entry, shard, frames) in queue.Reader.ReadAllAsync(ct))
            {
                var measured = MeasureSequence(frames, config.Frame.NearDepthM, shard, ct);
                verdicts.Add(SequenceCurator.Judge(entry.SequenceId, entry.SceneId, measured, config));
                framesDone?.Report(frames.Count);
            }
        }
        finally
        {
            stop.Cancel();
            await producer;
        }
        var curated = new CuratedManifest
        {
            DatasetId = reader.Manifest.DatasetId, ManifestSha256 = manifestHash, Config = config, Sequences = verdicts,
        };
        curated.Save(directory);
        return curated;
    }

    /// <summary>Measures every frame in parallel, then the frame-to-frame change, which needs neighbours.</summary>
    public static IReadOnlyList<FrameMeasurement> MeasureSequence(IReadOnlyList<StereoFrame> frames, double nearDepthM, string source, CancellationToken ct = default)
    {
        var measured = new (FrameMeasurement M, LumaThumbnail T)[frames.Count];
        var failures = new InvalidDataException?[frames.Count];
        Parallel.For(0, frames.Count, new ParallelOptions { CancellationToken = ct }, i =>
        {
            try
            {
                measured[i] = FrameAnalyzer.Measure(frames[i], nearDepthM);
            }
            catch (InvalidDataException e)
            {
                failures[i] = new InvalidDataException($"{source}: sequence '{frames[i].SequenceId}' frame {frames[i].FrameIndex}: {e.Message}");
            }
        });
        // The first bad frame, as the one clear error the CLI prints (Parallel.For would wrap it).
        if (failures.FirstOrDefault(f => f is not null) is { } failure) throw failure;
        return measured.Select((x, i) => i == 0 ? x.M : x.M with { Change = x.T.DifferenceTo(measured[i - 1].T) }).ToList();
    }

    static async Task<IReadOnlyList<StereoFrame>> ReadAsync(DatasetReader reader, ShardEntry shard, SequenceEntry sequence, CancellationToken ct)
    {
        try
        {
            return await reader.ReadSequenceAsync(sequence.SequenceId, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException and not InvalidDataException and not IOException)
        {
            throw new InvalidDataException($"{reader.PathOf(shard)}: sequence '{sequence.SequenceId}' cannot be read ({e.Message}); " +
                                           $"`distdepth dataset verify {reader.Directory}` lists every problem");
        }
    }

    // The verifier's byte check, without its full decode: hashing costs little next to decoding PNGs.
    static async Task CheckShardBytesAsync(DatasetReader reader, ShardEntry shard, CancellationToken ct)
    {
        try
        {
            await reader.CheckBytesAsync(shard, ct);
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            var advice = $"the dataset fails verification; `distdepth dataset verify {reader.Directory}` lists every problem";
            throw new InvalidDataException($"{e.Message}; {advice}", e);
        }
    }
}

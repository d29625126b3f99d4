namespace DistDepth.Dataset;

/// <summary>One thing wrong with a dataset, worded for a person: which file (and row), what is wrong.</summary>
public sealed record VerifyProblem(string File, string Message)
{
    public override string ToString() => $"{File}: {Message}";
}

public sealed record VerifyReport(int Shards, long Frames, IReadOnlyList<VerifyProblem> Problems)
{
    public bool Ok => Problems.Count == 0;
}

/// <summary>
/// Re-hashes every shard and decodes every row against the manifest. A shard whose bytes changed
/// is reported once (its checksum) rather than as a cascade of decoding errors.
/// </summary>
public static class DatasetVerifier
{
    public static async Task<VerifyReport> VerifyAsync(string directory, IProgress<long>? framesDone = null, CancellationToken ct = default)
    {
        var reader = DatasetReader.Open(directory);
        var problems = new List<VerifyProblem>();
        long frames = 0;
        foreach (var shard in reader.Manifest.Shards)
        {
            try
            {
                await reader.CheckBytesAsync(shard, ct);
            }
            catch (Exception e) when (e is InvalidDataException or IOException)
            {
                problems.Add(AsProblem(Path.Combine(reader.Directory, shard.File), e));
                continue;
            }
            frames += await CheckRowsAsync(reader, shard, problems, framesDone, ct);
        }
        return new VerifyReport(reader.Manifest.Shards.Count, frames, problems);
    }

    static VerifyProblem AsProblem(string path, Exception e) =>
        new(path, e.Message.StartsWith(path + ": ") ? e.Message[(path.Length + 2)..] : $"unreadable ({e.Message})");

    static async Task<long> CheckRowsAsync(DatasetReader reader, ShardEntry shard, List<VerifyProblem> problems,
        IProgress<long>? framesDone, CancellationToken ct)
    {
        var path = reader.PathOf(shard);
        long checkedFrames = 0;
        try
        {
            await using var parquet = await reader.OpenShardAsync(shard, ct);
            var missing = DatasetSchema.Schema.Fields.Select(f => f.Name).Except(parquet.Schema.Fields.Select(f => f.Name)).ToList();
            if (missing.Count > 0)
            {
                problems.Add(new(path, $"missing columns {string.Join(", ", missing)}"));
                return 0;
            }
            long row = 0;
            foreach (var sequence in shard.Sequences)
            {
                if (sequence.FirstRowGroup + sequence.RowGroups > parquet.RowGroupCount)
                {
                    problems.Add(new(path, $"sequence '{sequence.SequenceId}': row groups {sequence.FirstRowGroup}+{sequence.RowGroups} beyond the file's {parquet.RowGroupCount}"));
                    continue;
                }
                var frames = new List<StereoFrame>();
                for (int g = 0; g < sequence.RowGroups; g++)
                    frames.AddRange(await reader.ReadRowGroupAsync(shard, parquet, sequence.FirstRowGroup + g, ct));
                CheckSequence(path, row, sequence, frames, problems);
                row += frames.Count;
                checkedFrames += frames.Count;
                framesDone?.Report(frames.Count);
            }
            if (row != shard.Rows) problems.Add(new(path, $"{row} rows in the listed sequences, the manifest says {shard.Rows}"));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException or IndexOutOfRangeException or ArgumentException)
        {
            problems.Add(AsProblem(path, e));
        }
        return checkedFrames;
    }

    static void CheckSequence(string path, long firstRow, SequenceEntry sequence, List<StereoFrame> frames, List<VerifyProblem> problems)
    {
        if (frames.Count != sequence.Frames)
            problems.Add(new(path, $"sequence '{sequence.SequenceId}' has {frames.Count} frames, the manifest says {sequence.Frames}"));
        var decodeProblems = new VerifyProblem?[frames.Count];
        Parallel.For(0, frames.Count, i => decodeProblems[i] = CheckFrame(path, firstRow + i, sequence, frames[i], i > 0 ? frames[i - 1] : null));
        problems.AddRange(decodeProblems.OfType<VerifyProblem>());
    }

    static VerifyProblem? CheckFrame(string path, long row, SequenceEntry sequence, StereoFrame frame, StereoFrame? previous)
    {
        string where = $"row {row} (sequence '{frame.SequenceId}', frame {frame.FrameIndex})";
        if (frame.SequenceId != sequence.SequenceId)
            return new(path, $"{where}: expected sequence '{sequence.SequenceId}'");
        if (previous is not null && frame.FrameIndex <= previous.FrameIndex)
            return new(path, $"{where}: frames out of order");
        foreach (var (name, png, depth) in new[] { ("left", frame.Left, false), ("right", frame.Right, false), ("depth", frame.Depth, true), ("expert", frame.Expert, true) })
        {
            if (png is null) continue;
            try
            {
                (int w, int h) = depth ? Size16(png) : Size8(png);
                if (w != frame.Width || h != frame.Height)
                    return new(path, $"{where}: {name} image is {w}x{h}, the row says {frame.Width}x{frame.Height}");
            }
            catch (InvalidDataException e)
            {
                return new(path, $"{where}: {name} {e.Message}");
            }
        }
        return null;
    }

    static (int, int) Size8(byte[] png)
    {
        var image = ImageCodec.DecodeRgb(png);
        return (image.Width, image.Height);
    }

    static (int, int) Size16(byte[] png)
    {
        ImageCodec.DecodeUInt16(png, out int w, out int h);
        return (w, h);
    }
}

namespace DistDepth.Dataset;

/// <summary>
/// Checks a freshly parsed manifest once, field by field, so that every verb can trust it: a null,
/// negative, huge or inconsistent value is one line naming the field, not a NullReference or an
/// OutOfMemory three calls later. Sizes are tied to each other (frames sum to rows, rows fit in the
/// shard's bytes), and readers check the bytes against the file, so no count can ask for more
/// memory than the dataset occupies on disk.
/// </summary>
internal static class ManifestCheck
{
    public static void Validate(DatasetManifest manifest, string path)
    {
        void Fail(string field, string problem) => throw new InvalidDataException($"{path}: {field} {problem}");

        if (string.IsNullOrEmpty(manifest.DatasetId)) Fail("dataset_id", "is missing or empty");
        if (manifest.DepthUnit != DatasetSchema.DepthUnit) Fail("depth_unit", $"is '{manifest.DepthUnit}', expected '{DatasetSchema.DepthUnit}'");
        if (manifest.Compression is null) Fail("compression", "is missing");
        if (manifest.Shards is null) Fail("shards", "is missing");
        var files = new HashSet<string>();
        var sequenceIds = new HashSet<string>();
        for (int i = 0; i < manifest.Shards!.Count; i++)
        {
            var shard = manifest.Shards[i];
            var at = $"shards[{i}]";
            if (shard is null) Fail(at, "is null");
            if (shard!.File is null) Fail($"{at}.file", "is missing");
            if (DatasetPaths.SyntaxProblem(shard.File!) is { } problem) Fail($"{at}.file '{shard.File}'", $"{problem}; shard paths must stay inside the dataset folder");
            if (!files.Add(shard.File!)) Fail($"{at}.file '{shard.File}'", "is listed twice");
            if (shard.Bytes < 0) Fail($"{at}.bytes", $"is {shard.Bytes}");
            if (shard.Rows < 0 || shard.Rows > shard.Bytes) Fail($"{at}.rows", $"is {shard.Rows}, outside 0..bytes ({shard.Bytes})");
            if (shard.Sha256 is null || shard.Sha256.Length != 64 || !shard.Sha256.All(char.IsAsciiHexDigitLower))
                Fail($"{at}.sha256", "is not 64 lowercase hex digits");
            if (shard.Sequences is null) Fail($"{at}.sequences", "is missing");
            long frames = 0;
            long rowGroup = 0;
            for (int k = 0; k < shard.Sequences!.Count; k++)
            {
                var sequence = shard.Sequences[k];
                var sat = $"{at}.sequences[{k}]";
                if (sequence is null) Fail(sat, "is null");
                if (string.IsNullOrEmpty(sequence!.SequenceId)) Fail($"{sat}.sequence_id", "is missing or empty");
                if (!sequenceIds.Add(sequence.SequenceId)) Fail($"{sat}.sequence_id '{sequence.SequenceId}'", "is listed twice");
                if (sequence.SceneId is null) Fail($"{sat}.scene_id", "is missing");
                if (sequence.Frames < 1 || sequence.Frames > shard.Rows) Fail($"{sat}.frames", $"is {sequence.Frames}, outside 1..rows ({shard.Rows})");
                // Writers put each sequence in the row groups right after the previous one's; readers rely on it.
                if (sequence.FirstRowGroup != rowGroup) Fail($"{sat}.first_row_group", $"is {sequence.FirstRowGroup}, expected {rowGroup}");
                if (sequence.RowGroups < 1 || sequence.RowGroups > sequence.Frames) Fail($"{sat}.row_groups", $"is {sequence.RowGroups}, outside 1..frames ({sequence.Frames})");
                frames += sequence.Frames;
                rowGroup += sequence.RowGroups;
            }
            if (frames != shard.Rows) Fail($"{at}.rows", $"is {shard.Rows}, but its sequences hold {frames} frames");
        }
    }
}

using Parquet;
using Parquet.Schema;
using S = DistDepth.Dataset.DatasetSchema;

namespace DistDepth.Dataset;

/// <summary>Turns frames into one Parquet row group and back, column by column in schema order.</summary>
internal static class FrameRows
{
    const int PoseLength = 12;

    public static async Task WriteAsync(ParquetWriter writer, IReadOnlyList<StereoFrame> frames, CancellationToken ct)
    {
        using var rg = writer.CreateRowGroup();
        await rg.WriteAsync(S.DatasetId, Strings(frames, f => f.DatasetId));
        await rg.WriteAsync(S.SceneId, Strings(frames, f => f.SceneId));
        await rg.WriteAsync(S.SequenceId, Strings(frames, f => f.SequenceId));
        await rg.WriteAsync<int>(S.FrameIndex, frames.Select(f => f.FrameIndex).ToArray(), null, null, ct);
        await rg.WriteAsync<long>(S.TimestampNs, frames.Select(f => f.TimestampNs).ToArray(), null, null, ct);
        await rg.WriteAsync(S.Source, Strings(frames, f => f.Source.ToString().ToLowerInvariant()));
        await WriteImageAsync(rg, S.Left, frames.Select(f => f.Left).ToArray(), ct);
        await WriteImageAsync(rg, S.Right, frames.Select(f => f.Right).ToArray(), ct);
        await WriteImageAsync(rg, S.Depth, frames.Select(f => f.Depth).ToArray(), ct);
        await WriteImageAsync(rg, S.Expert, frames.Select(f => f.Expert).ToArray(), ct);
        await rg.WriteAsync<int>(S.Width, frames.Select(f => f.Width).ToArray(), null, null, ct);
        await rg.WriteAsync<int>(S.Height, frames.Select(f => f.Height).ToArray(), null, null, ct);
        await rg.WriteAsync<float>(S.Fx, frames.Select(f => f.Intrinsics.Fx).ToArray(), null, null, ct);
        await rg.WriteAsync<float>(S.Fy, frames.Select(f => f.Intrinsics.Fy).ToArray(), null, null, ct);
        await rg.WriteAsync<float>(S.Cx, frames.Select(f => f.Intrinsics.Cx).ToArray(), null, null, ct);
        await rg.WriteAsync<float>(S.Cy, frames.Select(f => f.Intrinsics.Cy).ToArray(), null, null, ct);
        await rg.WriteAsync<float>(S.BaselineM, frames.Select(f => f.BaselineM).ToArray(), null, null, ct);
        await WritePoseAsync(rg, frames, ct);
        await rg.WriteAsync(S.MetaJson, Strings(frames, f => f.MetaJson));
        rg.CompleteValidate();
    }

    static string[] Strings(IReadOnlyList<StereoFrame> frames, Func<StereoFrame, string> select) =>
        frames.Select(select).ToArray();

    // Definition levels of struct{bytes, path}: 0 = no image (null struct), 2 = bytes present; path is always null.
    static async Task WriteImageAsync(ParquetRowGroupWriter rg, ImageColumn column, byte[]?[] images, CancellationToken ct)
    {
        var present = images.Where(i => i is not null).Select(i => (ReadOnlyMemory<byte>)i!).ToArray();
        var bytesLevels = images.Select(i => i is null ? 0 : column.Bytes.MaxDefinitionLevel).ToArray();
        var pathLevels = images.Select(i => i is null ? 0 : column.Path.MaxDefinitionLevel - 1).ToArray();
        await rg.WriteAllPartsAsync<ReadOnlyMemory<byte>>(column.Bytes, present, bytesLevels, null, ct);
        await rg.WriteAllPartsAsync<ReadOnlyMemory<char>>(column.Path, Array.Empty<ReadOnlyMemory<char>>(), pathLevels, null, ct);
    }

    static async Task WritePoseAsync(ParquetRowGroupWriter rg, IReadOnlyList<StereoFrame> frames, CancellationToken ct)
    {
        var values = new float[frames.Count * PoseLength];
        var repetition = new int[values.Length];
        for (int i = 0; i < frames.Count; i++)
        {
            if (frames[i].Pose.Length != PoseLength)
                throw new ArgumentException($"frame {frames[i].FrameIndex}: pose has {frames[i].Pose.Length} values, expected {PoseLength} (3x4 camera-to-world)");
            frames[i].Pose.CopyTo(values, i * PoseLength);
            for (int k = 1; k < PoseLength; k++) repetition[i * PoseLength + k] = 1;
        }
        var definition = Enumerable.Repeat(S.PoseElement.MaxDefinitionLevel, values.Length).ToArray();
        await rg.WriteAllPartsAsync<float>(S.PoseElement, values, definition, repetition, ct);
    }

    public static async Task<StereoFrame[]> ReadAsync(ParquetReader reader, int rowGroup, CancellationToken ct)
    {
        using var rg = reader.OpenRowGroupReader(rowGroup);
        int n = checked((int)rg.RowCount);
        var datasetId = await ReadStringsAsync(rg, S.DatasetId, n, ct);
        var sceneId = await ReadStringsAsync(rg, S.SceneId, n, ct);
        var sequenceId = await ReadStringsAsync(rg, S.SequenceId, n, ct);
        var frameIndex = await ReadAsync<int>(rg, S.FrameIndex, n, ct);
        var timestamp = await ReadAsync<long>(rg, S.TimestampNs, n, ct);
        var source = await ReadStringsAsync(rg, S.Source, n, ct);
        var left = await ReadImagesAsync(rg, S.Left, n, ct);
        var right = await ReadImagesAsync(rg, S.Right, n, ct);
        var depth = await ReadImagesAsync(rg, S.Depth, n, ct);
        var expert = await ReadImagesAsync(rg, S.Expert, n, ct);
        var width = await ReadAsync<int>(rg, S.Width, n, ct);
        var height = await ReadAsync<int>(rg, S.Height, n, ct);
        var fx = await ReadAsync<float>(rg, S.Fx, n, ct);
        var fy = await ReadAsync<float>(rg, S.Fy, n, ct);
        var cx = await ReadAsync<float>(rg, S.Cx, n, ct);
        var cy = await ReadAsync<float>(rg, S.Cy, n, ct);
        var baseline = await ReadAsync<float>(rg, S.BaselineM, n, ct);
        var pose = new float[n * PoseLength];
        await rg.ReadRawAsync<float>(S.PoseElement, pose, new int[pose.Length], new int[pose.Length], ct);
        var meta = await ReadStringsAsync(rg, S.MetaJson, n, ct);
        long firstRow = 0;
        for (int g = 0; g < rowGroup; g++)
            using (var before = reader.OpenRowGroupReader(g)) firstRow += before.RowCount;
        for (int i = 0; i < n; i++)
            CheckImageSizes($"row {firstRow + i} (sequence '{sequenceId[i]}', frame {frameIndex[i]})", width[i], height[i],
                ("left", left[i]), ("right", right[i]), ("depth", depth[i]), ("expert", expert[i]));

        var frames = new StereoFrame[n];
        for (int i = 0; i < n; i++)
        {
            frames[i] = new StereoFrame
            {
                DatasetId = datasetId[i] ?? "", SceneId = sceneId[i] ?? "", SequenceId = sequenceId[i] ?? "",
                FrameIndex = frameIndex[i], TimestampNs = timestamp[i],
                Source = Enum.TryParse<FrameSource>(source[i], ignoreCase: true, out var s) ? s
                    : throw new InvalidDataException($"row {i}: unknown source '{source[i]}'"),
                Left = left[i] ?? throw new InvalidDataException($"row {i}: left image is missing"),
                Right = right[i], Depth = depth[i], Expert = expert[i],
                Width = width[i], Height = height[i],
                Intrinsics = new CameraIntrinsics(fx[i], fy[i], cx[i], cy[i]),
                BaselineM = baseline[i],
                Pose = pose.AsSpan(i * PoseLength, PoseLength).ToArray(),
                MetaJson = meta[i] ?? "{}",
            };
        }
        return frames;
    }

    /// <summary>Largest width or height a row may declare: 8K, beyond any stereo camera this toolkit records.</summary>
    public const int MaxImageSide = 8192;

    // Every consumer decodes these PNGs; a PNG declaring 100000x100000 in 1 MB would ask the decoder for
    // tens of gigabytes. The header is read first, and an image must be the size its row says.
    static void CheckImageSizes(string row, int width, int height, params (string Column, byte[]? Png)[] images)
    {
        if (width is < 1 or > MaxImageSide || height is < 1 or > MaxImageSide)
            throw new InvalidDataException($"{row}: width x height is {width}x{height}, outside 1..{MaxImageSide}");
        foreach (var (column, png) in images)
        {
            if (png is null) continue;
            var size = ImageCodec.PngSize(png)
                ?? throw new InvalidDataException($"{row}, column {column}: not a PNG (no PNG signature and IHDR header)");
            if (size != (width, height))
                throw new InvalidDataException($"{row}, column {column}: the PNG declares {size.Width}x{size.Height}, the row says {width}x{height}");
        }
    }

    static async Task<T[]> ReadAsync<T>(ParquetRowGroupReader rg, DataField field, int n, CancellationToken ct) where T : struct
    {
        var values = new T[n];
        await rg.ReadAsync<T>(field, values, null, ct);
        return values;
    }

    static async Task<string?[]> ReadStringsAsync(ParquetRowGroupReader rg, DataField field, int n, CancellationToken ct)
    {
        var values = new string?[n];
        await rg.ReadAsync(field, values, null, ct);
        return values;
    }

    static async Task<byte[]?[]> ReadImagesAsync(ParquetRowGroupReader rg, ImageColumn column, int n, CancellationToken ct)
    {
        var values = new byte[]?[n];
        await rg.ReadAsync(column.Bytes, values, null, ct);
        return values;
    }
}

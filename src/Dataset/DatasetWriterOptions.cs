using Parquet;

namespace DistDepth.Dataset;

public sealed record DatasetWriterOptions
{
    /// <summary>A shard is finalised once it reaches this size; sequences are never split across shards.</summary>
    public long TargetShardBytes { get; init; } = 256L << 20;

    /// <summary>Row groups stay near this much image data (Hugging Face uses ~100 MB; readers choke past 2 GB).</summary>
    public long TargetRowGroupBytes { get; init; } = 96L << 20;

    public CompressionMethod Compression { get; init; } = CompressionMethod.Snappy;

    /// <summary>Shard file names start with this; parallel writers into one folder family use distinct prefixes.</summary>
    public string ShardPrefix { get; init; } = "shard";

    /// <summary>Used when the folder is new; an existing dataset keeps its id.</summary>
    public string? DatasetId { get; init; }
}

namespace DistDepth.SimBridge;

/// <summary>
/// Sensor noise as habitat-sim's Gaussian model adds it, made cheap: a fixed table of standard-normal
/// samples indexed by a seeded xorshift, instead of a Box-Muller transform per byte (which cost more
/// than the PNG encoding of the frame). Deterministic for a seed.
/// </summary>
public static class GaussianNoise
{
    const int TableBits = 16;
    static readonly float[] Table = BuildTable();

    static float[] BuildTable()
    {
        var rng = new Random(20221);
        var table = new float[1 << TableBits];
        for (int i = 0; i < table.Length; i++)
            table[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
        return table;
    }

    /// <summary>Writes <paramref name="source"/> plus noise into <paramref name="destination"/> (same length;
    /// the same span for in place), so the copy a frame needs anyway is the noise pass.</summary>
    public static void Add(ReadOnlySpan<byte> source, Span<byte> destination, float stdDev, ulong seed)
    {
        if (destination.Length != source.Length) throw new ArgumentException($"noise destination has {destination.Length} bytes, the source {source.Length}");
        ulong state = seed | 1;
        for (int i = 0; i < source.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            float v = source[i] + stdDev * Table[(int)(state >> (64 - TableBits))];
            destination[i] = (byte)(v <= 0 ? 0 : v >= 255 ? 255 : v + 0.5f);
        }
    }
}

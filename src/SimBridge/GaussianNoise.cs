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

    public static void AddTo(byte[] pixels, float stdDev, ulong seed)
    {
        ulong state = seed | 1;
        for (int i = 0; i < pixels.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            float v = pixels[i] + stdDev * Table[(int)(state >> (64 - TableBits))];
            pixels[i] = (byte)(v <= 0 ? 0 : v >= 255 ? 255 : v + 0.5f);
        }
    }
}

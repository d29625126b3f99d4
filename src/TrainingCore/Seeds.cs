namespace DistDepth.TrainingCore;

/// <summary>
/// Derives independent seeds from (run seed, a, b) with SplitMix64. HashCode is randomised per
/// process, so it cannot be used where a resumed process must draw the same numbers.
/// </summary>
public static class Seeds
{
    public static int Of(long seed, long a, long b)
    {
        ulong x = Mix((ulong)seed);
        x = Mix(x ^ (ulong)a);
        x = Mix(x ^ (ulong)b);
        return (int)(x >> 33);
    }

    static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}

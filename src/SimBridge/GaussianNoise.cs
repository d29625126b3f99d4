using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DistDepth.SimBridge;

/// <summary>
/// Sensor noise as habitat-sim's Gaussian model adds it, made cheap: a fixed table of standard-normal
/// samples indexed by seeded xorshift streams, instead of a Box-Muller transform per byte (which cost
/// more than the PNG encoding of the frame). Deterministic for a seed.
/// </summary>
public static class GaussianNoise
{
    const int TableBits = 16;
    const int Streams = 4; // xorshift64 states stepped together: one step gives 16 bits to each of 16 bytes
    static readonly float[] Table = BuildTable();
    static Steps? _steps;

    static float[] BuildTable()
    {
        var rng = new Random(20221);
        var table = new float[1 << TableBits];
        for (int i = 0; i < table.Length; i++)
            table[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
        return table;
    }

    /// <summary>The table in whole grey levels for one spread: a byte plus noise, rounded, is the byte
    /// plus the noise rounded, so the per-byte work is an integer add and a clamp.</summary>
    sealed class Steps(float stdDev)
    {
        public readonly float StdDev = stdDev;
        public readonly short[] Levels = Array.ConvertAll(Table, n => (short)Math.Clamp(MathF.Floor(stdDev * n + 0.5f), -255, 255));
    }

    /// <summary>Writes <paramref name="source"/> plus noise into <paramref name="destination"/> (same length;
    /// the same span for in place), so the copy a frame needs anyway is the noise pass.</summary>
    public static void Add(ReadOnlySpan<byte> source, Span<byte> destination, float stdDev, ulong seed)
    {
        if (destination.Length != source.Length) throw new ArgumentException($"noise destination has {destination.Length} bytes, the source {source.Length}");
        var steps = _steps;
        if (steps == null || steps.StdDev != stdDev) _steps = steps = new Steps(stdDev);
        var levels = steps.Levels;
        var state = Vector256.Create(SplitMix(seed, 1), SplitMix(seed, 2), SplitMix(seed, 3), SplitMix(seed, 4));
        ref var from = ref MemoryMarshal.GetReference(source);
        ref var to = ref MemoryMarshal.GetReference(destination);
        ref var level = ref MemoryMarshal.GetArrayDataReference(levels); // 2^16 entries: any 16 bits index it
        // Bytes are independent of each other here, so the core overlaps them; the one serial chain
        // (the xorshift step) is shared by 16 bytes. Byte k of a step takes stream k % 4, bits 16 * (k / 4).
        int start = 0;
        for (; start + 4 * Streams <= source.Length; start += 4 * Streams)
        {
            state = Step(state);
            for (int stream = 0; stream < Streams; stream++)
            {
                var bits = state.GetElement(stream);
                Put(ref from, ref to, ref level, start + stream, bits);
                Put(ref from, ref to, ref level, start + stream + 4, bits >> 16);
                Put(ref from, ref to, ref level, start + stream + 8, bits >> 32);
                Put(ref from, ref to, ref level, start + stream + 12, bits >> 48);
            }
        }
        state = Step(state);
        for (int k = 0; start + k < source.Length; k++)
            Put(ref from, ref to, ref level, start + k, state.GetElement(k % Streams) >> (16 * (k / Streams)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<ulong> Step(Vector256<ulong> state)
    {
        state ^= Vector256.ShiftLeft(state, 13);
        state ^= Vector256.ShiftRightLogical(state, 7);
        return state ^ Vector256.ShiftLeft(state, 17);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Put(ref byte from, ref byte to, ref short level, int i, ulong bits) =>
        Unsafe.Add(ref to, i) = (byte)Math.Clamp(Unsafe.Add(ref from, i) + Unsafe.Add(ref level, (int)(ushort)bits), 0, 255);

    /// <summary>A well-mixed, never-zero xorshift state from the seed (SplitMix64).</summary>
    static ulong SplitMix(ulong seed, ulong stream)
    {
        ulong z = seed + stream * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (z ^ (z >> 31)) | 1;
    }
}

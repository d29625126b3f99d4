using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DistDepth.Dataset;

/// <summary>
/// A write-only zlib stream (RFC 1950) whose deflate blocks (RFC 1951) code every byte as a literal with a
/// Huffman code made for that block: no string matching at all, which noisy filtered images do not repay.
/// What zlib's Z_HUFFMAN_ONLY produces, in one pass to count and one to code each write instead of a
/// per-byte symbol buffer: several times faster. A write whose code would not beat its raw bytes is stored.
/// Each <see cref="Write(ReadOnlySpan{byte})"/> becomes its own block, so callers hand over tens of kilobytes.
/// </summary>
sealed class HuffmanZlibStream(Stream output) : Stream
{
    const int MaxCodeBits = 15, MaxLengthCodeBits = 7, EndOfBlock = 256;
    // RFC 1951 3.2.7: the order in which the code-length code's lengths are sent
    static ReadOnlySpan<byte> LengthCodeOrder => [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

    readonly BitWriter bits = new(output);
    uint adlerA = 1, adlerB;
    bool headerWritten, finished;

    public override void Write(ReadOnlySpan<byte> data)
    {
        if (!headerWritten)
        {
            output.Write([0x78, 0x01]); // deflate, 32 KB window, "fastest" level hint; check bits make it a multiple of 31
            headerWritten = true;
        }
        if (data.IsEmpty) return;
        UpdateAdler(data);

        Span<int> counts = stackalloc int[EndOfBlock + 1];
        Count(data, counts);
        counts[EndOfBlock] = 1;
        Span<byte> lengths = stackalloc byte[EndOfBlock + 1];
        HuffmanLengths(counts, lengths, MaxCodeBits);

        // The header: the literal lengths, then two 1-bit distance codes (never used; a complete code every
        // inflater accepts, as zlib sends), run-length coded with the code-length alphabet (3.2.7).
        Span<byte> all = stackalloc byte[EndOfBlock + 3];
        lengths.CopyTo(all);
        all[^2] = all[^1] = 1;
        Span<short> runs = stackalloc short[all.Length * 2]; // pairs: symbol 0-18, extra-bit value
        int runCount = RunLengths(all, runs);
        Span<int> lengthCounts = stackalloc int[19];
        for (int r = 0; r < runCount; r++) lengthCounts[runs[2 * r]]++;
        Span<byte> lengthLengths = stackalloc byte[19];
        HuffmanLengths(lengthCounts, lengthLengths, MaxLengthCodeBits);
        int sentLengthLengths = 19;
        while (sentLengthLengths > 4 && lengthLengths[LengthCodeOrder[sentLengthLengths - 1]] == 0) sentLengthLengths--;

        long headerBits = 3 + 5 + 5 + 4 + 3 * sentLengthLengths;
        for (int r = 0; r < runCount; r++) headerBits += lengthLengths[runs[2 * r]] + ExtraBits(runs[2 * r]);
        long codedBits = headerBits + lengths[EndOfBlock];
        for (int s = 0; s < EndOfBlock; s++) codedBits += (long)counts[s] * lengths[s];
        if (codedBits >= 8L * (data.Length + 5 * (data.Length / 65535 + 1)) + 10)
        {
            WriteStored(data, final: false);
            return;
        }

        Span<uint> codes = stackalloc uint[EndOfBlock + 1];
        CanonicalCodes(lengths, codes);
        Span<uint> lengthCodes = stackalloc uint[19];
        CanonicalCodes(lengthLengths, lengthCodes);
        bits.Put(2 << 1, 3); // not final, dynamic Huffman
        bits.Put(EndOfBlock + 1 - 257, 5);
        bits.Put(2 - 1, 5);
        bits.Put((uint)(sentLengthLengths - 4), 4);
        for (int i = 0; i < sentLengthLengths; i++) bits.Put(lengthLengths[LengthCodeOrder[i]], 3);
        for (int r = 0; r < runCount; r++)
        {
            int symbol = runs[2 * r];
            bits.Put(lengthCodes[symbol], lengthLengths[symbol]);
            if (ExtraBits(symbol) > 0) bits.Put((uint)runs[2 * r + 1], ExtraBits(symbol));
        }
        Span<uint> table = stackalloc uint[256]; // code in the low 24 bits, length in the high 8
        for (int s = 0; s < 256; s++) table[s] = codes[s] | (uint)lengths[s] << 24;
        bits.PutLiterals(data, table);
        bits.Put(codes[EndOfBlock], lengths[EndOfBlock]);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !finished)
        {
            finished = true;
            if (!headerWritten) Write(ReadOnlySpan<byte>.Empty);
            WriteStored([], final: true); // an empty final block ends the stream
            bits.Flush();
            Span<byte> adler = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(adler, adlerB << 16 | adlerA);
            output.Write(adler);
        }
        base.Dispose(disposing);
    }

    void WriteStored(ReadOnlySpan<byte> data, bool final)
    {
        Span<byte> lengths = stackalloc byte[4];
        do
        {
            var chunk = data[..Math.Min(data.Length, 65535)];
            data = data[chunk.Length..];
            bits.Put(final && data.IsEmpty ? 1u : 0u, 3);
            bits.Flush();
            BinaryPrimitives.WriteUInt16LittleEndian(lengths, (ushort)chunk.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(lengths[2..], (ushort)~chunk.Length);
            output.Write(lengths);
            output.Write(chunk);
        } while (!data.IsEmpty);
    }

    static void Count(ReadOnlySpan<byte> data, Span<int> counts)
    {
        // Four tables, so repeated bytes do not wait on each other's increments.
        Span<int> four = stackalloc int[4 * 256];
        ref byte d = ref MemoryMarshal.GetReference(data);
        int i = 0;
        for (; i + 4 <= data.Length; i += 4)
        {
            four[Unsafe.Add(ref d, i)]++;
            four[256 + Unsafe.Add(ref d, i + 1)]++;
            four[512 + Unsafe.Add(ref d, i + 2)]++;
            four[768 + Unsafe.Add(ref d, i + 3)]++;
        }
        for (; i < data.Length; i++) four[Unsafe.Add(ref d, i)]++;
        for (int s = 0; s < 256; s++) counts[s] = four[s] + four[256 + s] + four[512 + s] + four[768 + s];
    }

    /// <summary>Huffman code lengths for <paramref name="counts"/> (0 for unused symbols), at most
    /// <paramref name="maxBits"/> long: an optimal tree, then, when too deep, lengths moved down the
    /// tree until the code is complete again (the most frequent symbols keep the shortest).</summary>
    static void HuffmanLengths(ReadOnlySpan<int> counts, Span<byte> lengths, int maxBits)
    {
        lengths.Clear();
        Span<int> used = stackalloc int[counts.Length];
        int n = 0;
        for (int s = 0; s < counts.Length; s++) if (counts[s] > 0) used[n++] = s;
        if (n == 1) { lengths[used[0]] = 1; return; } // one symbol: a 1-bit code, as deflate allows
        if (n == 0) return;

        // Tree over nodes 0..n-1 (leaves, in used[] order) and n.. (internal); parent links give depths.
        var queue = new PriorityQueue<int, long>(n);
        Span<int> parent = stackalloc int[2 * n];
        for (int i = 0; i < n; i++) queue.Enqueue(i, counts[used[i]]);
        int next = n;
        while (queue.Count > 1)
        {
            queue.TryDequeue(out int a, out long wa);
            queue.TryDequeue(out int b, out long wb);
            parent[a] = parent[b] = next;
            queue.Enqueue(next++, wa + wb);
        }
        Span<int> depth = stackalloc int[2 * n];
        depth[next - 1] = 0;
        for (int node = next - 2; node >= 0; node--) depth[node] = depth[parent[node]] + 1; // parents come after children
        Span<int> perLength = stackalloc int[Math.Max(maxBits, n) + 1];
        for (int i = 0; i < n; i++) perLength[Math.Min(depth[i], maxBits)]++;

        // Clipping to maxBits made the code over-full (Kraft sum above 1): take one leaf off the deepest
        // level and split a shallower leaf into two one level down, until it fits.
        long kraft = 0;
        for (int l = 1; l <= maxBits; l++) kraft += (long)perLength[l] << (maxBits - l);
        while (kraft > 1L << maxBits)
        {
            perLength[maxBits]--;
            for (int l = maxBits - 1; l > 0; l--)
                if (perLength[l] > 0) { perLength[l]--; perLength[l + 1] += 2; break; }
            kraft--;
        }

        // Longest codes to the rarest symbols.
        Span<int> order = used[..n];
        var keys = new long[n];
        for (int i = 0; i < n; i++) keys[i] = (long)counts[order[i]] << 16 | (uint)order[i];
        keys.AsSpan().Sort();
        int k = 0;
        for (int l = maxBits; l > 0; l--)
            for (int c = 0; c < perLength[l]; c++) lengths[(int)(keys[k++] & 0xFFFF)] = (byte)l;
    }

    /// <summary>RFC 1951 3.2.2's canonical codes, bit-reversed, as deflate sends codes from their first bit.</summary>
    static void CanonicalCodes(ReadOnlySpan<byte> lengths, Span<uint> codes)
    {
        Span<int> perLength = stackalloc int[MaxCodeBits + 1];
        foreach (var l in lengths) perLength[l]++;
        perLength[0] = 0;
        Span<uint> next = stackalloc uint[MaxCodeBits + 1];
        uint code = 0;
        for (int l = 1; l <= MaxCodeBits; l++) next[l] = code = (code + (uint)perLength[l - 1]) << 1;
        for (int s = 0; s < lengths.Length; s++)
            if (lengths[s] > 0) codes[s] = Reverse(next[lengths[s]]++, lengths[s]);
    }

    static uint Reverse(uint code, int length) => ReverseBits(code) >> (32 - length);

    static uint ReverseBits(uint v)
    {
        v = (v >> 1 & 0x55555555) | (v & 0x55555555) << 1;
        v = (v >> 2 & 0x33333333) | (v & 0x33333333) << 2;
        v = (v >> 4 & 0x0F0F0F0F) | (v & 0x0F0F0F0F) << 4;
        return BinaryPrimitives.ReverseEndianness(v);
    }

    /// <summary>Code lengths as code-length symbols: 0-15 as such, 17 and 18 for runs of zeros.</summary>
    static int RunLengths(ReadOnlySpan<byte> lengths, Span<short> runs)
    {
        int count = 0;
        for (int i = 0; i < lengths.Length;)
        {
            int run = 1;
            while (lengths[i] == 0 && i + run < lengths.Length && lengths[i + run] == 0 && run < 138) run++;
            if (lengths[i] == 0 && run >= 11) (runs[2 * count], runs[2 * count + 1]) = (18, (short)(run - 11));
            else if (lengths[i] == 0 && run >= 3) (runs[2 * count], runs[2 * count + 1]) = (17, (short)(run - 3));
            else (runs[2 * count], runs[2 * count + 1], run) = (lengths[i], 0, 1);
            count++;
            i += run;
        }
        return count;
    }

    static int ExtraBits(int lengthSymbol) => lengthSymbol switch { 16 => 2, 17 => 3, 18 => 7, _ => 0 };

    void UpdateAdler(ReadOnlySpan<byte> data)
    {
        const uint Base = 65521;
        const int Nmax = 5552; // the most bytes before b can overflow 32 bits
        uint a = adlerA, b = adlerB;
        while (!data.IsEmpty)
        {
            var chunk = data[..Math.Min(data.Length, Nmax)];
            data = data[chunk.Length..];
            foreach (byte x in chunk) { a += x; b += a; }
            a %= Base;
            b %= Base;
        }
        (adlerA, adlerB) = (a, b);
    }

    /// <summary>Deflate's bit order: values from their least significant bit, bytes filled from the bottom.</summary>
    sealed class BitWriter(Stream output)
    {
        readonly byte[] buffer = new byte[64 * 1024 + 16];
        ulong pending;
        int pendingBits, used;

        public void Put(uint value, int count)
        {
            pending |= (ulong)value << pendingBits;
            pendingBits += count;
            if (pendingBits >= 32) Spill();
        }

        public void PutLiterals(ReadOnlySpan<byte> data, ReadOnlySpan<uint> table)
        {
            ref byte d = ref MemoryMarshal.GetReference(data);
            ref uint t = ref MemoryMarshal.GetReference(table);
            ulong p = pending;
            int n = pendingBits;
            int i = 0;
            for (; i + 2 <= data.Length; i += 2) // two codes of at most 15 bits fit beside fewer than 32 pending
            {
                uint c0 = Unsafe.Add(ref t, Unsafe.Add(ref d, i)), c1 = Unsafe.Add(ref t, Unsafe.Add(ref d, i + 1));
                p |= (ulong)(c0 & 0xFFFFFF) << n;
                n += (int)(c0 >> 24);
                p |= (ulong)(c1 & 0xFFFFFF) << n;
                n += (int)(c1 >> 24);
                if (n >= 32)
                {
                    if (used > buffer.Length - 8) { output.Write(buffer, 0, used); used = 0; }
                    BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(used), (uint)p);
                    used += 4;
                    p >>= 32;
                    n -= 32;
                }
            }
            (pending, pendingBits) = (p, n);
            for (; i < data.Length; i++) Put(table[data[i]] & 0xFFFFFF, (int)(table[data[i]] >> 24));
        }

        /// <summary>Writes out everything, padding the last byte with zero bits (stored blocks and the end).</summary>
        public void Flush()
        {
            while (pendingBits > 0)
            {
                Byte((byte)pending);
                pending >>= 8;
                pendingBits = Math.Max(0, pendingBits - 8);
            }
            output.Write(buffer, 0, used);
            used = 0;
        }

        void Spill()
        {
            while (pendingBits >= 8)
            {
                Byte((byte)pending);
                pending >>= 8;
                pendingBits -= 8;
            }
        }

        void Byte(byte value)
        {
            if (used == buffer.Length) { output.Write(buffer, 0, used); used = 0; }
            buffer[used++] = value;
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}

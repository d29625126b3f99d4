using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace DistDepth.Dataset;

/// <summary>PNG's filter types (the byte that starts each row's data).</summary>
enum PngFilter : byte { None = 0, Sub = 1, Up = 2, Average = 3, Paeth = 4 }

/// <summary>PNG's per-row filters (spec section 9); bytes before the row's first pixel and above the first
/// row count as 0. <c>previous</c> is empty for the first row.</summary>
static class PngFilters
{
    public static void Encode(PngFilter filter, ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, Span<byte> target, int bpp)
    {
        switch (filter)
        {
            case PngFilter.Up: Up(row, previous, target); break;
            case PngFilter.Paeth: Paeth(row, previous, target, bpp); break;
            default: throw new ArgumentOutOfRangeException(nameof(filter), filter, "the writer uses Up and Paeth");
        }
    }

    /// <summary>Undoes <paramref name="filter"/> on <paramref name="filtered"/> into <paramref name="row"/>.</summary>
    public static void Decode(PngFilter filter, ReadOnlySpan<byte> filtered, ReadOnlySpan<byte> previous, Span<byte> row, int bpp)
    {
        int n = row.Length;
        switch (filter)
        {
            case PngFilter.None:
                filtered.CopyTo(row);
                break;
            case PngFilter.Sub:
                filtered[..bpp].CopyTo(row);
                for (int i = bpp; i < n; i++) row[i] = (byte)(filtered[i] + row[i - bpp]);
                break;
            case PngFilter.Up when previous.IsEmpty:
                filtered.CopyTo(row);
                break;
            case PngFilter.Up:
            {
                int i = 0;
                if (Vector256.IsHardwareAccelerated)
                    for (; i + 32 <= n; i += 32)
                        (Vector256.Create(filtered[i..]) + Vector256.Create(previous[i..])).CopyTo(row[i..]);
                for (; i < n; i++) row[i] = (byte)(filtered[i] + previous[i]);
                break;
            }
            case PngFilter.Average:
                for (int i = 0; i < n; i++)
                    row[i] = (byte)(filtered[i] + (((i >= bpp ? row[i - bpp] : 0) + (previous.IsEmpty ? 0 : previous[i])) >> 1));
                break;
            case PngFilter.Paeth when previous.IsEmpty: // above is 0: Paeth is Sub
                Decode(PngFilter.Sub, filtered, previous, row, bpp);
                break;
            case PngFilter.Paeth:
                for (int i = 0; i < bpp; i++) row[i] = (byte)(filtered[i] + previous[i]);
                for (int i = bpp; i < n; i++) row[i] = (byte)(filtered[i] + Predict(row[i - bpp], previous[i], previous[i - bpp]));
                break;
            default:
                throw new InvalidDataException($"PNG row has filter type {(byte)filter}, which does not exist");
        }
    }

    static void Sub(ReadOnlySpan<byte> row, Span<byte> target, int bpp)
    {
        row[..bpp].CopyTo(target);
        int i = bpp;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 32 <= row.Length; i += 32)
                (Vector256.Create(row[i..]) - Vector256.Create(row[(i - bpp)..])).CopyTo(target[i..]);
        for (; i < row.Length; i++) target[i] = (byte)(row[i] - row[i - bpp]);
    }

    static void Up(ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, Span<byte> target)
    {
        if (previous.IsEmpty) { row.CopyTo(target); return; }
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 32 <= row.Length; i += 32)
                (Vector256.Create(row[i..]) - Vector256.Create(previous[i..])).CopyTo(target[i..]);
        for (; i < row.Length; i++) target[i] = (byte)(row[i] - previous[i]);
    }

    static void Paeth(ReadOnlySpan<byte> row, ReadOnlySpan<byte> previous, Span<byte> target, int bpp)
    {
        if (previous.IsEmpty) { Sub(row, target, bpp); return; } // above is 0: Paeth picks the left byte
        for (int j = 0; j < bpp; j++) target[j] = (byte)(row[j] - previous[j]); // left is 0: Paeth picks the byte above
        int i = bpp;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 16 <= row.Length; i += 16)
            {
                var a = Vector256.WidenLower(Vector128.Create(row[(i - bpp)..]).ToVector256()).AsInt16();
                var b = Vector256.WidenLower(Vector128.Create(previous[i..]).ToVector256()).AsInt16();
                var c = Vector256.WidenLower(Vector128.Create(previous[(i - bpp)..]).ToVector256()).AsInt16();
                var pa = Vector256.Abs(b - c);
                var pb = Vector256.Abs(a - c);
                var pc = Vector256.Abs(a + b - c - c);
                var useA = Vector256.LessThanOrEqual(pa, pb) & Vector256.LessThanOrEqual(pa, pc);
                var useB = Vector256.LessThanOrEqual(pb, pc);
                var predicted = Vector256.ConditionalSelect(useA, a, Vector256.ConditionalSelect(useB, b, c));
                var narrowed = Vector256.Narrow(predicted.AsUInt16(), predicted.AsUInt16()).GetLower();
                (Vector128.Create(row[i..]) - narrowed).CopyTo(target[i..]);
            }
        for (; i < row.Length; i++) target[i] = (byte)(row[i] - Predict(row[i - bpp], previous[i], previous[i - bpp]));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static byte Predict(byte a, byte b, byte c)
    {
        int pa = Math.Abs(b - c), pb = Math.Abs(a - c), pc = Math.Abs(a + b - 2 * c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}

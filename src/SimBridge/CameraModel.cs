using System.Buffers;
using System.Numerics;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimBridge;

/// <summary>How far the simulated camera departs from the renderer's ideal image, per sequence. Each
/// setting is a spread the sequence's own values are drawn from (0 turns that effect off); all of them 0 is
/// the renderer's image untouched, as before these effects existed.</summary>
public sealed record CameraEffects
{
    /// <summary>The typical exposure gain: what a camera's auto-exposure does to a dim room. 1.6 takes the
    /// embedded renderer's lit interiors (mean level ~0.28) to the ~0.45 of indoor photos.</summary>
    public float ExposureMedian { get; init; } = 1.6f;
    /// <summary>Per-sequence exposure: gain median * exp(N(0, spread)), auto-exposure landing a little off.</summary>
    public float ExposureSpread { get; init; } = 0.25f;
    /// <summary>Per-sequence white balance: red and blue gains exp(+-N(0, spread)) about green, as a colour
    /// temperature error moves them in opposite directions.</summary>
    public float WhiteBalanceSpread { get; init; } = 0.08f;
    /// <summary>Largest corner darkening, 1 - gain at the image corner; each sequence draws U(0, this).</summary>
    public float VignettingMax { get; init; } = 0.35f;
    /// <summary>Largest defocus blur, Gaussian sigma in pixels at 512 px wide (scaled with the width);
    /// each sequence draws U(0, this).</summary>
    public float DefocusMaxPx { get; init; } = 1.2f;

    /// <summary>How the sensor's linear values become the 8-bit image: as they are, or through the sRGB curve
    /// every camera and photo applies (shadows lifted, a mid grey of 0.18 at 0.46), for renderers that output
    /// linear light as the embedded one does.</summary>
    public CameraResponse Response { get; init; } = CameraResponse.Linear;

    public static CameraEffects None { get; } = new() { ExposureMedian = 1, ExposureSpread = 0, WhiteBalanceSpread = 0, VignettingMax = 0, DefocusMaxPx = 0 };

    public bool IsNone => this == None;

    public void Validate()
    {
        if (ExposureMedian is < 0.1f or > 10) throw new ArgumentException($"--exposure {ExposureMedian} must be in 0.1..10");
        if (ExposureSpread is < 0 or > 2) throw new ArgumentException($"--exposure-spread {ExposureSpread} must be in 0..2");
        if (WhiteBalanceSpread is < 0 or > 1) throw new ArgumentException($"--white-balance-spread {WhiteBalanceSpread} must be in 0..1");
        if (VignettingMax is < 0 or > 0.9f) throw new ArgumentException($"--vignetting {VignettingMax} must be in 0..0.9");
        if (DefocusMaxPx is < 0 or > 8) throw new ArgumentException($"--defocus {DefocusMaxPx} px must be in 0..8");
    }
}

public enum CameraResponse { Linear, Srgb }

/// <summary>
/// One sequence's camera: lens (vignetting, defocus), exposure and white balance applied to the rendered
/// 8-bit RGB before sensor noise, identically for both views of the rig (one camera model, as a ZED's two
/// sensors share exposure and white balance). Drawn from the sequence seed, so a sequence looks the same
/// on every worker and every retry; the gain per pixel is one table built once per sequence.
/// </summary>
public sealed class CameraModel
{
    const int GainBits = 12;
    readonly ushort[] _gain; // per pixel and channel, fixed point 4.12
    readonly short[] _kernel; // Gaussian taps summing to 1 << KernelBits; one tap for no blur
    readonly byte[]? _response; // SrgbTable for the sRGB response; null for linear
    const int ResponseBits = 4, ResponseLevels = 256 << ResponseBits;
    static readonly byte[] SrgbTable = SrgbCurve(); // the same for every sequence
    const int KernelBits = 8;
    const int CameraStream = 0x2545f491; // its own random stream: the trajectory and noise use the same sequence seed

    public float Exposure { get; }
    public (float R, float G, float B) WhiteBalance { get; }
    public float Vignetting { get; }
    public float DefocusPx { get; }
    public int Width { get; }
    public int Height { get; }

    public CameraModel(CameraEffects effects, ulong sequenceSeed, int width, int height)
    {
        var rng = Seeded.Random(sequenceSeed, CameraStream);
        float Gaussian() => rng.NextGaussian();
        Exposure = effects.ExposureMedian * MathF.Exp(effects.ExposureSpread * Gaussian());
        var temperature = effects.WhiteBalanceSpread * Gaussian();
        WhiteBalance = (MathF.Exp(temperature), 1f, MathF.Exp(-temperature));
        Vignetting = effects.VignettingMax * rng.NextSingle();
        DefocusPx = effects.DefocusMaxPx * rng.NextSingle() * width / 512f;
        (Width, Height) = (width, height);
        _gain = GainTable();
        _kernel = Kernel(DefocusPx);
        Response = effects.Response;
        _response = Response == CameraResponse.Srgb ? SrgbTable : null;
    }

    public CameraResponse Response { get; }

    /// <summary>The meta_json record of what this sequence's camera did.</summary>
    public System.Text.Json.Nodes.JsonObject Describe() => new()
    {
        ["exposure"] = Exposure, ["white_balance"] = new System.Text.Json.Nodes.JsonArray(WhiteBalance.R, WhiteBalance.G, WhiteBalance.B),
        ["vignetting"] = Vignetting, ["defocus_px"] = DefocusPx, ["response"] = Response.ToString().ToLowerInvariant(),
    };

    /// <summary>Writes the camera's image of <paramref name="rgb"/> (tightly packed RGB8, Width x Height) into
    /// <paramref name="destination"/>.</summary>
    public void Apply(ReadOnlySpan<byte> rgb, Span<byte> destination)
    {
        var n = Width * Height * 3;
        if (rgb.Length != n || destination.Length != n) throw new ArgumentException($"camera model for {Width}x{Height} got {rgb.Length} -> {destination.Length} bytes");
        if (_kernel.Length > 1)
        {
            // Scratch from the pool: a fresh 0.8 MB array per image is a large-object allocation each time.
            var blurred = ArrayPool<byte>.Shared.Rent(n);
            Blur(rgb, blurred.AsSpan(0, n));
            ApplyGain(blurred.AsSpan(0, n), destination);
            ArrayPool<byte>.Shared.Return(blurred);
        }
        else ApplyGain(rgb, destination);
    }

    ushort[] GainTable()
    {
        var gain = new ushort[Width * Height * 3];
        float cx = (Width - 1) / 2f, cy = (Height - 1) / 2f, corner = cx * cx + cy * cy;
        Span<float> channel = [Exposure * WhiteBalance.R, Exposure * WhiteBalance.G, Exposure * WhiteBalance.B];
        for (var y = 0; y < Height; y++)
        for (var x = 0; x < Width; x++)
        {
            // Quadratic falloff to the corner: the first term of cos^4 and of measured lens profiles.
            var v = 1 - Vignetting * ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / Math.Max(corner, 1e-6f);
            for (var c = 0; c < 3; c++)
                gain[(y * Width + x) * 3 + c] = (ushort)Math.Clamp(MathF.Round(v * channel[c] * (1 << GainBits)), 0, ushort.MaxValue);
        }
        return gain;
    }

    /// <summary>IEC 61966-2-1's encoding of linear values i / (ResponseLevels - 16), clipped at white.</summary>
    static byte[] SrgbCurve()
    {
        var curve = new byte[ResponseLevels];
        for (var i = 0; i < curve.Length; i++)
        {
            var v = Math.Min(1.0, i / (double)(ResponseLevels - (1 << ResponseBits)));
            var encoded = v <= 0.0031308 ? 12.92 * v : 1.055 * Math.Pow(v, 1 / 2.4) - 0.055;
            curve[i] = (byte)Math.Round(255 * encoded);
        }
        return curve;
    }

    void ApplyGain(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var gain = _gain.AsSpan();
        if (_response is { } curve)
        {
            // The gained value kept to 1/16 of a level: the curve's slope near black would band whole levels.
            for (var j = 0; j < source.Length; j++)
                destination[j] = curve[Math.Min(ResponseLevels - 1, (source[j] * gain[j]) >> (GainBits - ResponseBits))];
            return;
        }
        int i = 0, lanes = Vector<ushort>.Count;
        // Bytes widened to 16 bits, times the gain, as 32-bit products: 255 * 65535 overflows 16 bits.
        for (; i + 2 * lanes <= source.Length; i += 2 * lanes)
        {
            Vector.Widen(new Vector<byte>(source[i..]), out var lo, out var hi);
            var a = Scale(lo, new Vector<ushort>(gain[i..]));
            var b = Scale(hi, new Vector<ushort>(gain[(i + lanes)..]));
            Vector.Narrow(a, b).CopyTo(destination[i..]);
        }
        for (; i < source.Length; i++) destination[i] = (byte)Math.Min(255, (source[i] * gain[i] + (1 << (GainBits - 1))) >> GainBits);
    }

    static Vector<ushort> Scale(Vector<ushort> value, Vector<ushort> gain)
    {
        Vector.Widen(value, out var v0, out var v1);
        Vector.Widen(gain, out var g0, out var g1);
        var half = new Vector<uint>(1u << (GainBits - 1));
        var max = new Vector<uint>(255);
        var p0 = Vector.Min((v0 * g0 + half) >> GainBits, max);
        var p1 = Vector.Min((v1 * g1 + half) >> GainBits, max);
        return Vector.Narrow(p0, p1);
    }

    static short[] Kernel(float sigma)
    {
        if (sigma < 0.3f) return [1 << KernelBits];
        var radius = (int)MathF.Ceiling(2.5f * sigma);
        var weights = Enumerable.Range(-radius, 2 * radius + 1).Select(d => MathF.Exp(-d * d / (2 * sigma * sigma))).ToArray();
        var sum = weights.Sum();
        var taps = weights.Select(w => (short)MathF.Round(w / sum * (1 << KernelBits))).ToArray();
        taps[radius] += (short)((1 << KernelBits) - taps.Sum(t => t)); // rounding leftovers to the centre: sum exactly 1
        return taps;
    }

    /// <summary>Separable Gaussian, edges clamped: rows, then columns, each pass rounded back to bytes.
    /// Vectorised over a row's bytes: one pixel over is three bytes on, so a tap is a shifted row.</summary>
    void Blur(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int row = Width * 3, radius = _kernel.Length / 2;
        var rows = ArrayPool<byte>.Shared.Rent(source.Length);
        var sums = new ushort[row];
        for (var y = 0; y < Height; y++)
        {
            var src = source.Slice(y * row, row);
            sums.AsSpan().Clear();
            // Inside, every tap lies in the row; the first and last pixels clamp their taps to the row's ends.
            var inner = row - 6 * radius;
            for (var k = -radius; k <= radius && inner > 0; k++)
                Accumulate(src.Slice(3 * (radius + k), inner), _kernel[k + radius], sums.AsSpan(3 * radius, inner));
            var edge = Math.Min(3 * radius, row);
            for (var i = 0; i < edge; i++) sums[i] = ClampedTaps(src, i, radius);
            for (var i = Math.Max(edge, row - 3 * radius); i < row; i++) sums[i] = ClampedTaps(src, i, radius);
            Round(sums, rows.AsSpan(y * row, row));
        }
        for (var y = 0; y < Height; y++)
        {
            sums.AsSpan().Clear();
            for (var k = -radius; k <= radius; k++)
                Accumulate(rows.AsSpan(Math.Clamp(y + k, 0, Height - 1) * row, row), _kernel[k + radius], sums);
            Round(sums, destination.Slice(y * row, row));
        }
        ArrayPool<byte>.Shared.Return(rows);
    }

    /// <summary>Byte <paramref name="i"/> of a row blurred along it with the taps clamped to the row's ends.</summary>
    ushort ClampedTaps(ReadOnlySpan<byte> row, int i, int radius)
    {
        int x = i / 3, c = i % 3, acc = 0;
        for (var k = -radius; k <= radius; k++) acc += _kernel[k + radius] * row[Math.Clamp(x + k, 0, Width - 1) * 3 + c];
        return (ushort)acc;
    }

    /// <summary>sums += tap * source; the taps sum to 1 &lt;&lt; KernelBits, so a full sum of bytes fits in 16 bits.</summary>
    static void Accumulate(ReadOnlySpan<byte> source, short tap, Span<ushort> sums)
    {
        int i = 0, lanes = Vector<ushort>.Count;
        var weight = new Vector<ushort>((ushort)tap);
        for (; i + 2 * lanes <= source.Length; i += 2 * lanes)
        {
            Vector.Widen(new Vector<byte>(source[i..]), out var lo, out var hi);
            (new Vector<ushort>(sums[i..]) + lo * weight).CopyTo(sums[i..]);
            (new Vector<ushort>(sums[(i + lanes)..]) + hi * weight).CopyTo(sums[(i + lanes)..]);
        }
        for (; i < source.Length; i++) sums[i] += (ushort)(tap * source[i]);
    }

    static void Round(ReadOnlySpan<ushort> sums, Span<byte> destination)
    {
        int i = 0, lanes = Vector<ushort>.Count;
        var half = new Vector<ushort>(1 << (KernelBits - 1));
        for (; i + 2 * lanes <= sums.Length; i += 2 * lanes)
            Vector.Narrow((new Vector<ushort>(sums[i..]) + half) >> KernelBits, (new Vector<ushort>(sums[(i + lanes)..]) + half) >> KernelBits).CopyTo(destination[i..]);
        for (; i < sums.Length; i++) destination[i] = (byte)((sums[i] + (1 << (KernelBits - 1))) >> KernelBits);
    }
}

using DistDepth.Dataset;

namespace DistDepth.Curation;

/// <summary>
/// The left image's luma averaged into a fixed grid. Averaging removes sensor noise, so texture
/// and frame-to-frame change measure the scene, and the fixed size makes both resolution-free.
/// </summary>
public sealed class LumaThumbnail
{
    public const int Size = 32;
    readonly float[] cells;

    LumaThumbnail(float[] cells) => this.cells = cells;

    public static LumaThumbnail Of(RgbImage image, out double meanLuma)
    {
        var sums = new double[Size * Size];
        var counts = new int[Size * Size];
        double total = 0;
        var p = image.Pixels;
        for (int y = 0, i = 0; y < image.Height; y++)
        {
            int row = y * Size / image.Height * Size;
            for (int x = 0; x < image.Width; x++, i += 3)
            {
                // BT.601 luma in integer arithmetic.
                int luma = (77 * p[i] + 150 * p[i + 1] + 29 * p[i + 2]) >> 8;
                int cell = row + x * Size / image.Width;
                sums[cell] += luma;
                counts[cell]++;
                total += luma;
            }
        }
        meanLuma = total / Math.Max(1, image.Width * image.Height);
        var cells = new float[Size * Size];
        for (int c = 0; c < cells.Length; c++) cells[c] = counts[c] > 0 ? (float)(sums[c] / counts[c]) : 0;
        return new LumaThumbnail(cells);
    }

    public double Texture()
    {
        double sum = 0;
        for (int y = 0; y < Size - 1; y++)
            for (int x = 0; x < Size - 1; x++)
            {
                int c = y * Size + x;
                sum += Math.Abs(cells[c + 1] - cells[c]) + Math.Abs(cells[c + Size] - cells[c]);
            }
        return sum / (2.0 * (Size - 1) * (Size - 1));
    }

    public double DifferenceTo(LumaThumbnail other)
    {
        double sum = 0;
        for (int c = 0; c < cells.Length; c++) sum += Math.Abs(cells[c] - other.cells[c]);
        return sum / cells.Length;
    }
}

using System.Numerics;
using DistDepth.SimServer.Geometry;
using static DistDepth.SimServer.Scenes.Materials.Palette;

namespace DistDepth.SimServer.Scenes.Materials;

/// <summary>A shelf row of books seen from the front, assuming a 0.6 m repeat along the shelf and the
/// shelf's height along v: spines of 2-5 cm and 60-98 % of the height, each rounded, with title
/// bands and a column of title marks, in front of the dark back of the shelf.</summary>
internal static class BookSpines
{
    private static readonly Vector3[] Bindings =
    [
        new(0.45f, 0.12f, 0.10f), new(0.14f, 0.18f, 0.34f), new(0.14f, 0.28f, 0.18f), new(0.08f, 0.08f, 0.08f),
        new(0.84f, 0.80f, 0.70f), new(0.62f, 0.48f, 0.32f), new(0.46f, 0.46f, 0.44f), new(0.70f, 0.56f, 0.20f),
        new(0.88f, 0.88f, 0.86f), new(0.36f, 0.20f, 0.26f), new(0.22f, 0.42f, 0.48f), new(0.72f, 0.36f, 0.22f),
    ];

    private static readonly Vector3[] Inks = [new(0.85f, 0.72f, 0.40f), new(0.92f, 0.90f, 0.86f), new(0.06f, 0.06f, 0.06f)];

    public static Texture Create(Random rng)
    {
        const int size = TextureCanvas.Large;
        var canvas = new TextureCanvas(size, Vary(rng, new Vector3(0.07f, 0.06f, 0.05f), 0.2f));
        var x = 0;
        while (x < size)
        {
            var width = rng.Next(8, 21);
            if (size - x - width < 8) width = size - x; // the last book closes the row, so the repeat tiles
            var height = (int)(size * (0.6f + 0.38f * rng.NextSingle()));
            Book(canvas, rng, x, width, size - height);
            x += width;
        }
        return canvas.ToTexture();
    }

    private static void Book(TextureCanvas canvas, Random rng, int x0, int width, int top)
    {
        var size = canvas.Size;
        var binding = Pick(rng, Bindings, 0.12f);
        var ink = Inks[rng.Next(Inks.Length)];
        if (Luma(ink) > 0.5f == Luma(binding) > 0.5f) ink = Vector3.One - ink * 0.9f;
        var bands = new List<(int From, int To)>();
        for (var b = rng.Next(0, 4); b > 0; b--)
        {
            var at = top + rng.Next(2, size - top - 6);
            bands.Add((at, at + rng.Next(2, 5)));
        }
        // Title marks: a column of short bars down the middle of the spine, with word gaps.
        var marks = new bool[size];
        var titleFrom = top + (size - top) / 5 + rng.Next(0, 10);
        var titleTo = Math.Min(size - 8, titleFrom + rng.Next(20, (size - top) / 2 + 21));
        for (var y = titleFrom; y < titleTo; y += 3) marks[y] = marks[y + 1] = rng.Next(6) != 0;
        var markHalf = Math.Max(1, width / 5);
        for (var y = top; y < size; y++)
        for (var i = 0; i < width; i++)
        {
            var round = 0.7f + 0.3f * MathF.Sin(MathF.PI * (i + 0.5f) / width);
            var gap = i == 0 ? 0.5f : 1f;
            var onBand = bands.Exists(b => y >= b.From && y < b.To);
            var onMark = marks[y] && Math.Abs(i - width / 2) <= markHalf;
            var color = onBand || onMark ? ink : binding;
            canvas[x0 + i, y] = color * (round * gap);
        }
    }
}

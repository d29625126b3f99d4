using System.Numerics;
using DistDepth.SimServer.Geometry;
using static DistDepth.SimServer.Scenes.Materials.Palette;

namespace DistDepth.SimServer.Scenes.Materials;

/// <summary>A poster or framed print, stretched once over its quad: a plain, toned or graded ground, then
/// 3-7 elements (blocks, circles, graded panels, rows of text-like bars, a photo-like landscape),
/// often inside a white margin. Strong edges at every scale, as real prints have.</summary>
internal static class PosterMaterial
{
    private static readonly Vector3[] Inks =
    [
        new(0.70f, 0.22f, 0.16f), new(0.16f, 0.26f, 0.46f), new(0.86f, 0.66f, 0.22f), new(0.20f, 0.40f, 0.32f),
        new(0.10f, 0.10f, 0.12f), new(0.90f, 0.86f, 0.78f), new(0.56f, 0.48f, 0.62f), new(0.84f, 0.52f, 0.40f),
        new(0.42f, 0.56f, 0.64f),
    ];

    public static Texture Create(Random rng)
    {
        const int size = TextureCanvas.Large;
        var ground = Pick(rng, Inks, 0.1f);
        var graded = rng.Next(2) == 0 ? Pick(rng, Inks, 0.1f) : ground;
        var canvas = new TextureCanvas(size);
        canvas.Apply((_, y, _) => Vector3.Lerp(ground, graded, (float)y / size));
        for (var n = rng.Next(3, 8); n > 0; n--)
        {
            int w = rng.Next(size / 8, size * 2 / 3), h = rng.Next(size / 10, size / 2);
            int x0 = rng.Next(0, size - w), y0 = rng.Next(0, size - h);
            var ink = Pick(rng, Inks, 0.1f);
            switch (rng.Next(5))
            {
                case 0: canvas.FillRect(x0, y0, x0 + w, y0 + h, ink); break;
                case 1: Circle(canvas, x0 + w / 2, y0 + h / 2, Math.Min(w, h) / 2, ink); break;
                case 2: Graded(canvas, x0, y0, w, h, ink, Pick(rng, Inks, 0.1f)); break;
                case 3: Text(canvas, rng, x0, y0, w, h, ink); break;
                default: Photo(canvas, rng, x0, y0, w, h); break;
            }
        }
        if (rng.Next(5) < 3)
        {
            var margin = rng.Next(size / 20, size / 10);
            var paper = Vary(rng, new Vector3(0.92f, 0.91f, 0.88f), 0.03f);
            canvas.Apply((x, y, c) => x < margin || y < margin || x >= size - margin || y >= size - margin ? paper : c);
        }
        return canvas.ToTexture();
    }

    private static void Circle(TextureCanvas canvas, int cx, int cy, int r, Vector3 ink)
    {
        for (var y = cy - r; y <= cy + r; y++)
        for (var x = cx - r; x <= cx + r; x++)
            if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) canvas[x, y] = ink;
    }

    private static void Graded(TextureCanvas canvas, int x0, int y0, int w, int h, Vector3 from, Vector3 to)
    {
        for (var y = y0; y < y0 + h; y++)
        for (var x = x0; x < x0 + w; x++)
            canvas[x, y] = Vector3.Lerp(from, to, (float)(x - x0) / w);
    }

    /// <summary>Lines of word-like bars: a taller headline first, then body lines of ragged length.</summary>
    private static void Text(TextureCanvas canvas, Random rng, int x0, int y0, int w, int h, Vector3 ink)
    {
        var y = y0;
        var line = rng.Next(6, 12);
        while (y + line <= y0 + h)
        {
            var end = x0 + (int)(w * (0.5f + 0.5f * rng.NextSingle()));
            for (var x = x0; x < end;)
            {
                var word = rng.Next(line, 4 * line);
                canvas.FillRect(x, y, Math.Min(x + word, end), y + line * 2 / 3, ink);
                x += word + Math.Max(2, line / 2);
            }
            y += line + line / 2;
            line = Math.Max(3, line * 2 / 3);
        }
    }

    /// <summary>A blurred landscape: graded sky, a noisy horizon of hills and blobs of foliage colour.</summary>
    private static void Photo(TextureCanvas canvas, Random rng, int x0, int y0, int w, int h)
    {
        var noise = new TextureNoise(rng);
        var sky = Vary(rng, new Vector3(0.62f, 0.72f, 0.86f), 0.1f);
        var land = Vary(rng, new Vector3(0.34f, 0.40f, 0.24f), 0.2f);
        var horizon = 0.4f + 0.3f * rng.NextSingle();
        for (var y = y0; y < y0 + h; y++)
        for (var x = x0; x < x0 + w; x++)
        {
            float u = (float)(x - x0) / w, v = (float)(y - y0) / h;
            var hill = horizon + 0.12f * noise.Fractal(u, 0, 4, 1, 4);
            var detail = 1 + 0.25f * noise.Fractal(u, v, 8, 8, 4, 1);
            canvas[x, y] = v < hill ? Vector3.Lerp(sky * 1.1f, sky * 0.85f, v / hill) : land * detail * (0.7f + 0.5f * (v - hill));
        }
    }
}

using System.Numerics;
using DistDepth.SimServer.Geometry;
using static DistDepth.SimServer.Scenes.Materials.Palette;
using static DistDepth.SimServer.Scenes.Materials.Shaping;

namespace DistDepth.SimServer.Scenes.Materials;

/// <summary>Flat images seen through glass, stretched once over their quad: a screen (dark glass with a
/// faint reflection, and when on, dim UI panels with text lines) and a window (bright sky over a
/// blurred, out-of-focus outdoors of trees and buildings).</summary>
internal static class ScreenAndWindow
{
    public static Texture Screen(Random rng)
    {
        const int size = TextureCanvas.Small;
        var glass = Vary(rng, new Vector3(0.04f, 0.045f, 0.055f), 0.2f);
        var canvas = new TextureCanvas(size);
        // The room reflected in the glass: a soft diagonal brightening.
        var tilt = 0.3f + 0.4f * rng.NextSingle();
        canvas.Apply((x, y, _) => glass * (1 + 1.2f * SmoothStep(0.2f, 1f, 1 - ((float)x / size * tilt + (float)y / size * (1 - tilt)))));
        if (rng.Next(3) == 0) return canvas.ToTexture(); // switched off
        var panels = rng.Next(2, 6);
        for (var p = 0; p < panels; p++)
        {
            int w = rng.Next(size / 5, size * 3 / 5), h = rng.Next(size / 6, size / 2);
            int x0 = rng.Next(2, size - w - 2), y0 = rng.Next(2, size - h - 2);
            var panel = Vary(rng, new Vector3(0.12f, 0.13f, 0.16f), 0.3f);
            canvas.FillRect(x0, y0, x0 + w, y0 + h, panel);
            canvas.FillRect(x0, y0, x0 + w, y0 + 4, panel * 1.8f); // title bar
            for (var y = y0 + 8; y + 2 < y0 + h; y += 5)
                canvas.FillRect(x0 + 4, y, x0 + 4 + rng.Next(w / 4, Math.Max(w / 4 + 1, w - 8)), y + 2, new Vector3(0.38f, 0.40f, 0.42f));
        }
        return canvas.ToTexture();
    }

    public static Texture Window(Random rng)
    {
        const int size = TextureCanvas.Small;
        var zenith = Vary(rng, rng.Next(2) == 0 ? new Vector3(0.62f, 0.76f, 0.94f) : new Vector3(0.84f, 0.86f, 0.88f), 0.05f);
        var haze = Vary(rng, new Vector3(0.95f, 0.95f, 0.94f), 0.02f);
        var ground = Vary(rng, new Vector3(0.46f, 0.54f, 0.40f), 0.1f);
        var horizon = (int)(size * (0.45f + 0.2f * rng.NextSingle()));
        var canvas = new TextureCanvas(size);
        canvas.Apply((_, y, _) => y < horizon ? Vector3.Lerp(zenith, haze, (float)y / horizon) : ground * (1.1f - 0.3f * (y - horizon) / size));
        for (var n = rng.Next(3, 8); n > 0; n--)
        {
            var x = rng.Next(size);
            if (rng.Next(2) == 0)
            {
                // A tree crown: a disc of foliage green standing on the horizon.
                var r = rng.Next(size / 12, size / 5);
                var crown = Vary(rng, new Vector3(0.30f, 0.42f, 0.26f), 0.2f);
                for (var dy = -r; dy <= r; dy++)
                for (var dx = -r; dx <= r; dx++)
                    if (dx * dx + dy * dy <= r * r) canvas[x + dx, horizon - r + dy + r / 3] = crown;
            }
            else
            {
                int w = rng.Next(size / 10, size / 4), h = rng.Next(size / 10, size / 3);
                canvas.FillRect(x, horizon - h, x + w, horizon + 2, Vary(rng, new Vector3(0.72f, 0.70f, 0.66f), 0.15f));
            }
        }
        canvas.Blur(rng.Next(2, 5)); // the camera focuses on the room, not the outdoors
        return canvas.ToTexture();
    }
}

using System.Numerics;
using DistDepth.SimServer.Geometry;

namespace DistDepth.SimServer.Scenes.Materials;

/// <summary>Colour choices within the muted ranges real interiors have: a listed base colour, then a
/// small seeded shift in brightness and hue, never a random RGB triple.</summary>
internal static class Palette
{
    public static Vector3 Pick(Random rng, ReadOnlySpan<Vector3> options, float variation = 0.08f) =>
        Vary(rng, options[rng.Next(options.Length)], variation);

    /// <summary><paramref name="color"/> with its brightness scaled by about 1 +- <paramref name="amount"/>
    /// and each channel by a third of that, so the hue drifts less than the brightness.</summary>
    public static Vector3 Vary(Random rng, Vector3 color, float amount)
    {
        var brightness = 1 + amount * Math.Clamp(rng.NextGaussian(), -2f, 2f);
        var tint = new Vector3(1 + amount / 3 * (2 * rng.NextSingle() - 1), 1 + amount / 3 * (2 * rng.NextSingle() - 1), 1 + amount / 3 * (2 * rng.NextSingle() - 1));
        return Vector3.Clamp(color * tint * brightness, Vector3.Zero, Vector3.One);
    }

    /// <summary>Rec. 709 luminance.</summary>
    public static float Luma(Vector3 c) => 0.2126f * c.X + 0.7152f * c.Y + 0.0722f * c.Z;
}

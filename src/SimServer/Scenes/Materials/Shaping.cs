namespace DistDepth.SimServer.Scenes.Materials;

/// <summary>The scalar ramps patterns are cut with: soft edges about a texel wide, and the position within a repeat.</summary>
internal static class Shaping
{
    public static float SmoothStep(float edge0, float edge1, float x)
    {
        var t = Math.Clamp((x - edge0) / (edge1 - edge0), 0f, 1f);
        return t * t * (3 - 2 * t);
    }

    public static float Frac(float x) => x - MathF.Floor(x);
}

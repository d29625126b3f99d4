namespace DistDepth.SimServer.Geometry;

/// <summary>Seeded randomness. System.Random with a seed runs the same legacy algorithm on every
/// .NET version, which is what makes scenes and trajectories reproducible.</summary>
public static class Seeded
{
    public static Random Random(ulong seed, int stream = 0) => new((int)(seed ^ (seed >> 32)) ^ stream);

    public static float NextGaussian(this Random rng) =>
        MathF.Sqrt(-2 * MathF.Log(1 - rng.NextSingle())) * MathF.Cos(MathF.Tau * rng.NextSingle());
}

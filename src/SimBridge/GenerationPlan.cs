using System.Security.Cryptography;
using System.Text;
using DistDepth.Sim.V1;
using DistDepth.SimServer.Scenes;

namespace DistDepth.SimBridge;

/// <summary>
/// The whole work list of a generation run, and its split for array jobs. Everything derives from
/// the options and a stable hash, never from process state, so every worker computes the same plan.
/// </summary>
public static class GenerationPlan
{
    static readonly TrajectoryMode[] Failures = [TrajectoryMode.WalkIntoWall, TrajectoryMode.StareAtWall, TrajectoryMode.LookIntoVoid];

    public static IReadOnlyList<SequenceJob> Build(IReadOnlyList<string> scenes, SimGenOptions options)
    {
        var jobs = new List<SequenceJob>();
        for (int s = 0; s < scenes.Count; s++)
            for (int k = 0; k < options.SequencesPerScene; k++)
            {
                ulong seed = StableHash($"{options.Seed}/{SeedName(scenes[s])}/{k}");
                var rng = new Random((int)(seed & 0x7fffffff));
                var mode = rng.NextDouble() < options.FailingFraction ? Failures[rng.Next(Failures.Length)] : TrajectoryMode.Navigate;
                float height = options.CameraHeightM + options.CameraHeightSpreadM * (2 * rng.NextSingle() - 1);
                float Tilt() => options.MountRotationMaxRad * (2 * rng.NextSingle() - 1);
                jobs.Add(new SequenceJob(scenes[s], s, k, $"{SceneSlug(scenes[s])}-seq{k:D3}", seed, mode, height, (Tilt(), Tilt(), Tilt())));
            }
        return jobs;
    }

    /// <summary>procedural-v1:N is the rooms procedural:N gave before issue 19, under a new name: its sequences keep
    /// the seeds they had then, so a dataset made before can be remade pixel for pixel.</summary>
    static string SeedName(string sceneId) =>
        SceneCatalog.IsProcedural(sceneId, out var prefix) && prefix == SceneCatalog.FirstProceduralPrefix
            ? SceneCatalog.ProceduralPrefix + sceneId[prefix.Length..] : sceneId;

    /// <summary>Slice <paramref name="index"/> of <paramref name="count"/>: whole scenes, dealt round-robin,
    /// so a worker loads only its own scenes. Slices are disjoint and together are the plan.</summary>
    public static IReadOnlyList<SequenceJob> Slice(IReadOnlyList<SequenceJob> plan, int index, int count)
    {
        if (count < 1 || index < 0 || index >= count)
            throw new ArgumentException($"--shard-index {index} must be in 0..{count - 1} (--shard-count {count})");
        return plan.Where(j => j.SceneIndex % count == index).ToList();
    }

    /// <summary>Readable and unique: the scene's name plus a hash of its full id (two 'room.glb' in different folders differ).</summary>
    public static string SceneSlug(string sceneId)
    {
        // "procedural:3" -> "procedural-3", "procedural-v1:3" -> "procedural-v1-3".
        var name = SceneCatalog.IsProcedural(sceneId, out var prefix)
            ? prefix[..^1] + "-" + sceneId[prefix.Length..]
            : Path.GetFileNameWithoutExtension(sceneId.TrimEnd('/'));
        var clean = new string(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray());
        return $"{clean}-{StableHash(sceneId) % 0xFFFFFF:x6}";
    }

    static ulong StableHash(string text) => BitConverter.ToUInt64(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0);
}

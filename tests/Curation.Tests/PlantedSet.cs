using System.Text.Json.Nodes;
using DistDepth.Cli.Commands;
using DistDepth.Dataset;
using DistDepth.SimBridge;

namespace DistDepth.Curation.Tests;

/// <summary>
/// A small dataset with known failures, made once per test run: simgen sequences (normal walks
/// mixed with walking into walls, staring at walls and looking into the void, labelled by the
/// generator), plus "dark" and "frozen" failures simgen cannot make, derived here from normal
/// sequences and labelled the same way ("planted_failure", "trajectory_mode" in meta_json).
/// </summary>
public sealed class PlantedSet
{
    public const int Frames = 24;
    static readonly Lazy<Task<PlantedSet>> Shared = new(() => CreateAsync(TempFolder.New("planted")));

    public required string Directory { get; init; }
    /// <summary>Sequence id -> generator label ("Navigate" = should be accepted).</summary>
    public required IReadOnlyDictionary<string, string> Labels { get; init; }

    static readonly Lazy<Task<CuratedManifest>> Curated = new(async () =>
    {
        var set = await GetAsync();
        return await CurateCommand.RunAsync(set.Directory, new CurationConfig(), set.ReportPath, default);
    });

    public static Task<PlantedSet> GetAsync() => Shared.Value;

    /// <summary>The set curated once with the default config through the CLI verb's code path (report included).</summary>
    public static Task<CuratedManifest> CuratedAsync() => Curated.Value;

    public string ReportPath => Path.Combine(Directory, "curation_report.html");

    public bool IsFailure(string sequenceId) => Labels[sequenceId] != "Navigate";

    static async Task<PlantedSet> CreateAsync(string dir)
    {
        // Seed 2: every LookIntoVoid job lands where the planner finds the scene's open side.
        var options = new SimGenOptions { SequencesPerScene = 3, Frames = Frames, Width = 128, Height = 128, FailingFraction = 0.5, Seed = 2, Workers = 2 };
        var plan = GenerationPlan.Build(SceneList.Expand(["procedural:8"]), options);
        await SimGenCommand.RunAsync(plan, options, dir, new DatasetWriterOptions(), [], default);

        var normal = plan.Where(j => j.Mode == Sim.V1.TrajectoryMode.Navigate).Select(j => j.SequenceId).Take(8).ToList();
        var reader = DatasetReader.Open(dir);
        await using (var writer = DatasetWriter.Open(dir))
        {
            for (int k = 0; k < normal.Count; k++)
            {
                var source = await reader.ReadSequenceAsync(normal[k]);
                var (mode, frames) = k % 2 == 0 ? ("Dark", source.Select(Darken).ToList()) : ("Frozen", Freeze(source, seed: k));
                var sequence = writer.BeginSequence(source[0].SceneId, $"{normal[k]}-{mode.ToLowerInvariant()}");
                foreach (var f in frames) sequence.Append(f with { SequenceId = "", MetaJson = Relabel(f.MetaJson, mode) });
                await sequence.CompleteAsync();
            }
        }
        var labels = new Dictionary<string, string>();
        reader = DatasetReader.Open(dir);
        foreach (var entry in reader.Sequences)
        {
            var first = (await reader.ReadSequenceAsync(entry.SequenceId))[0];
            labels[entry.SequenceId] = (string)JsonNode.Parse(first.MetaJson)!["trajectory_mode"]!;
        }
        return new PlantedSet { Directory = dir, Labels = labels };
    }

    // Lights off: the scene is unchanged, only the image goes near-black (gain 0.06).
    static StereoFrame Darken(StereoFrame f) => f with { Left = Scale(f.Left, 0.06f, 0, 0), Right = f.Right is null ? null : Scale(f.Right, 0.06f, 0, 1) };

    // A stalled camera: one frame repeated, with fresh sensor noise (+-1 grey level) each time.
    static List<StereoFrame> Freeze(IReadOnlyList<StereoFrame> source, int seed)
    {
        var still = source[source.Count / 2];
        return source.Select((f, i) => still with
        {
            FrameIndex = f.FrameIndex, TimestampNs = f.TimestampNs,
            Left = Scale(still.Left, 1, 1, seed * 1000 + i), Right = still.Right is null ? null : Scale(still.Right, 1, 1, seed * 1000 + i + 500),
        }).ToList();
    }

    static byte[] Scale(byte[] png, float gain, int noise, int seed)
    {
        var image = ImageCodec.DecodeRgb(png);
        var rng = new Random(seed);
        var pixels = image.Pixels.Select(p => (byte)Math.Clamp((int)MathF.Round(p * gain) + (noise > 0 ? rng.Next(-noise, noise + 1) : 0), 0, 255)).ToArray();
        return ImageCodec.EncodeRgb(image with { Pixels = pixels });
    }

    static string Relabel(string metaJson, string mode)
    {
        var meta = JsonNode.Parse(metaJson)!.AsObject();
        meta["trajectory_mode"] = mode;
        meta["planted_failure"] = true;
        meta["planted_by"] = "curation tests (derived from a Navigate sequence)";
        return meta.ToJsonString();
    }
}

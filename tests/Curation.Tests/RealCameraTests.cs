using DistDepth.Dataset;

namespace DistDepth.Curation.Tests;

/// <summary>Real captures have no ground-truth depth, no collision report and possibly no pose: only the checks that need none speak.</summary>
public class RealCameraTests
{
    [Fact]
    public async Task WithoutDepthOrPosesADarkSequenceIsRejectedAndANormalOneAccepted()
    {
        var set = await PlantedSet.GetAsync();
        var reader = DatasetReader.Open(set.Directory);
        string normal = set.Labels.First(l => l.Value == "Navigate").Key, dark = set.Labels.First(l => l.Value == "Dark").Key;
        var dir = TempFolder.New("real");
        await using (var writer = DatasetWriter.Open(dir))
            foreach (var id in new[] { normal, dark })
            {
                var sequence = writer.BeginSequence("room", id);
                foreach (var f in await reader.ReadSequenceAsync(id))
                    sequence.Append(f with { SequenceId = "", Source = FrameSource.Zed, Depth = null, Pose = Enumerable.Repeat(float.NaN, 12).ToArray(), MetaJson = "{}" });
                await sequence.CompleteAsync();
            }

        var curated = await CurationRun.RunAsync(dir, new CurationConfig());
        Assert.True(curated.Find(normal)!.Accepted, curated.Find(normal)!.Summary);
        var verdict = curated.Find(dark)!;
        Assert.False(verdict.Accepted);
        Assert.Contains(verdict.Reasons, r => r.Check == "underexposed");
        var depthChecks = new[] { "near_depth", "depth_median", "depth_p20", "depth_spread", "invalid_depth", "collisions", "stuck", "pose_jump", "pose_turn" };
        Assert.DoesNotContain(curated.Sequences.SelectMany(s => s.FlaggedFrames).SelectMany(f => f.Flags), r => depthChecks.Contains(r.Check));
        Assert.DoesNotContain(verdict.Reasons, r => depthChecks.Contains(r.Check));
    }
}

using DistDepth.Sim.V1;

namespace DistDepth.SimBridge.Tests;

public class GenerationPlanTests
{
    static readonly IReadOnlyList<string> Scenes = SceneList.Expand(["procedural:7", "/data/a/room.glb,/data/b/room.glb"]);

    [Theory]
    [InlineData(1)] [InlineData(2)] [InlineData(3)] [InlineData(4)] [InlineData(5)]
    public void SlicesAreDisjointAndTogetherThePlan(int n)
    {
        var plan = GenerationPlan.Build(Scenes, new SimGenOptions { SequencesPerScene = 3 });
        var slices = Enumerable.Range(0, n).Select(i => GenerationPlan.Slice(plan, i, n)).ToList();
        var union = slices.SelectMany(s => s).Select(j => j.SequenceId).ToList();
        Assert.Equal(union.Count, union.Distinct().Count());
        Assert.Equal(plan.Select(j => j.SequenceId).Order(), union.Order());
        // Whole scenes per slice: a worker never loads a scene another worker also loads.
        var scenesPerSlice = slices.Select(s => s.Select(j => j.SceneId).ToHashSet()).ToList();
        for (int a = 0; a < n; a++)
            for (int b = a + 1; b < n; b++) Assert.Empty(scenesPerSlice[a].Intersect(scenesPerSlice[b]));
    }

    [Fact]
    public void ThePlanIsTheSameEveryTimeAndFollowsSimSin()
    {
        var options = new SimGenOptions { SequencesPerScene = 5, FailingFraction = 0.3, Seed = 11 };
        var a = GenerationPlan.Build(Scenes, options);
        Assert.Equal(a, GenerationPlan.Build(Scenes, options));
        Assert.Equal(9 * 5, a.Count);
        Assert.Equal(a.Count, a.Select(j => j.SequenceId).Distinct().Count()); // two room.glb in different folders differ
        Assert.All(a, j => Assert.InRange(j.CameraHeightM, 1.1f, 1.5f));
        Assert.True(a.Select(j => j.CameraHeightM).Distinct().Count() > 20, "camera height is randomised per sequence");
        Assert.All(a, j => Assert.True(new[] { j.MountRotationRad.Pitch, j.MountRotationRad.Yaw, j.MountRotationRad.Roll }.All(t => MathF.Abs(t) <= 0.4f)));
        Assert.True(a.Max(j => MathF.Abs(j.MountRotationRad.Roll)) > 0.3f, "rig tilt spans SimSIN's +-0.4 rad");
        var failing = a.Count(j => j.Mode != TrajectoryMode.Navigate);
        Assert.InRange(failing, 5, 25);
        Assert.NotEqual(a.Select(j => j.Seed), GenerationPlan.Build(Scenes, options with { Seed = 12 }).Select(j => j.Seed));
    }

    [Fact]
    public void BadSliceArgumentsAreNamed()
    {
        var e = Assert.Throws<ArgumentException>(() => GenerationPlan.Slice([], 3, 3));
        Assert.Contains("--shard-index 3", e.Message);
    }

    [Fact]
    public void FirstGenerationRoomsKeepTheSequenceSeedsTheyHadAsProcedural()
    {
        var options = new SimGenOptions { SequencesPerScene = 3 };
        var v1 = GenerationPlan.Build(["procedural-v1:4"], options);
        var before = GenerationPlan.Build(["procedural:4"], options);
        Assert.Equal(before.Select(j => (j.Seed, j.Mode, j.CameraHeightM, j.MountRotationRad)), v1.Select(j => (j.Seed, j.Mode, j.CameraHeightM, j.MountRotationRad)));
        Assert.All(v1, j => Assert.StartsWith("procedural-v1-4-", j.SequenceId));
        Assert.All(before, j => Assert.StartsWith("procedural-4-", j.SequenceId));
    }

    [Fact]
    public void SceneArgumentsExpand()
    {
        Assert.Equal(["procedural:0", "procedural:1", "x.ply"], SceneList.Expand(["procedural:2,x.ply"]));
        Assert.Equal(["procedural-v1:0", "procedural:0"], SceneList.Expand(["procedural-v1:1", "procedural:1"]));
        Assert.Throws<ArgumentException>(() => SceneList.Expand(["/nonexistent/*.glb"]));
        var root = TempFolder.New("glob");
        foreach (var scene in new[] { "b/x.glb", "a/x.glb", "a/y.ply" })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(root, scene))!);
            File.WriteAllText(Path.Combine(root, scene), "");
        }
        Assert.Equal([Path.Combine(root, "a/x.glb"), Path.Combine(root, "b/x.glb")], SceneList.Expand([$"{root}/*/*.glb"]));
        Assert.Throws<ArgumentException>(() => SceneList.Expand(["a.ply", "a.ply"]));
    }
}

public class GaussianNoiseTests
{
    [Fact]
    public void NoiseHasTheAskedSpreadNoBiasAndRepeatsForASeed()
    {
        var source = Enumerable.Repeat((byte)128, 200_000).ToArray();
        var pixels = new byte[source.Length];
        GaussianNoise.Add(source, pixels, 2.55f, 42);
        Assert.All(source, p => Assert.Equal(128, p)); // the frame it reads (a ring slot) is not written
        var again = (byte[])source.Clone();
        GaussianNoise.Add(again, again, 2.55f, 42);
        Assert.Equal(pixels, again);
        double mean = pixels.Average(p => (double)p), sd = Math.Sqrt(pixels.Average(p => Math.Pow(p - mean, 2)));
        Assert.InRange(mean, 127.95, 128.05);
        Assert.InRange(sd, 2.4, 2.8); // rounding to bytes adds ~1/12 of a level of variance
    }

    [Fact]
    public void NoiseClampsAtBlackAndWhiteAndReachesTheLastByte()
    {
        // 1001 bytes: not a whole number of the 16-byte steps.
        var source = Enumerable.Range(0, 1001).Select(i => (byte)(i % 2 == 0 ? 0 : 255)).ToArray();
        var pixels = new byte[source.Length];
        GaussianNoise.Add(source, pixels, 25.5f, 7);
        var black = pixels.Where((_, i) => i % 2 == 0).ToArray();
        var white = pixels.Where((_, i) => i % 2 == 1).ToArray();
        // Half of each side is pushed past the end of the range and stays there; none wraps around.
        Assert.InRange(black.Count(p => p == 0), 200, 300);
        Assert.InRange(white.Count(p => p == 255), 200, 300);
        Assert.All(black, p => Assert.True(p < 128));
        Assert.All(white, p => Assert.True(p >= 128));
        Assert.Contains(pixels[^16..], p => p != 0 && p != 255);
    }
}

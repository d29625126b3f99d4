// The embedded renderer alone, as simgen drives it: StereoRenderer.RenderInto into fixed buffers with
// simgen's outputs (RGB left and right, left depth), 512x512, on all cores. Prints CPU ms per stereo
// frame (3 rounds of 200 renders after a 3 s warm-up), then a SHA-256 over 80 more frames (two scenes,
// two sizes, all four outputs), so a change meant to leave the pixels alone can be checked by comparing
// that line before and after on one machine (the AVX2 and portable paths give different pixels); the
// hash is over --shading flat scenes, so it also shows flat shading still gives the old pixels.
// Issue 15: the rounds alternate flat and ambient-occlusion scenes (AO is baked into vertex colours at
// load, so rendering should cost the same), and the one-off bake time at load is printed per scene.
// Usage: dotnet run -c Release --project bench/Render.Bench
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using DistDepth.SimServer.Navigation;
using DistDepth.SimServer.Rendering;
using DistDepth.SimServer.Scenes;

var simgen = StereoRig.SimSin with { Outputs = RigOutputs.RgbLeft | RigOutputs.RgbRight | RigOutputs.DepthLeft };
var scene = new SceneCatalog(null, shading: SceneShading.Flat).Load("procedural:1");
var bake = Stopwatch.StartNew();
var occluded = AmbientOcclusion.Apply(scene.Mesh, SceneShading.Ao);
Console.WriteLine($"AO bake, once at load: {bake.Elapsed.TotalMilliseconds:F0} ms for procedural:1");
var poses = Poses(scene, simgen, 7, 100).Where((_, i) => i % 5 == 0).ToList();
var renderer = new StereoRenderer(simgen);
var images = renderer.Render(scene.Mesh, poses[0]);
var targets = new StereoTargets(images.RgbLeft, images.RgbRight, images.DepthLeft, images.DepthRight);
for (var warm = Stopwatch.StartNew(); warm.Elapsed < TimeSpan.FromSeconds(3);) renderer.RenderInto(scene.Mesh, poses[0], targets);
Console.WriteLine($"procedural:1 ({scene.Mesh.TriangleCount} triangles), {simgen.Width}x{simgen.Height}, RGB left + right, left depth, {Environment.ProcessorCount} cores");
var perShading = new Dictionary<string, List<double>> { ["flat"] = [], ["ao"] = [] };
for (var round = 1; round <= 6; round++)
{
    const int renders = 200;
    var (name, mesh) = round % 2 == 1 ? ("flat", scene.Mesh) : ("ao", occluded);
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < renders; i++) renderer.RenderInto(mesh, poses[i % poses.Count], targets);
    var ms = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / renders;
    perShading[name].Add(ms);
    Console.WriteLine($"round {round} ({name}): {renders / clock.Elapsed.TotalSeconds:F1} renders/s, CPU {ms:F2} ms per stereo frame");
}
double Median(List<double> x) => x.Order().ElementAt(x.Count / 2);
Console.WriteLine($"median CPU ms per stereo frame: flat {Median(perShading["flat"]):F2}, ao {Median(perShading["ao"]):F2} ({100 * (Median(perShading["ao"]) / Median(perShading["flat"]) - 1):+0.0;-0.0}%)");

using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
foreach (var (id, rig) in new[] { ("procedural:1", StereoRig.SimSin), ("procedural:3", StereoRig.SimSin with { Width = 317, Height = 203 }) })
{
    var loaded = new SceneCatalog(null, shading: SceneShading.Flat).Load(id);
    var r = new StereoRenderer(rig);
    foreach (var pose in Poses(loaded, rig, 3, 40))
    {
        var frame = r.Render(loaded.Mesh, pose);
        sha.AppendData(frame.RgbLeft!);
        sha.AppendData(frame.RgbRight!);
        sha.AppendData(MemoryMarshal.AsBytes(frame.DepthLeft.AsSpan()));
        sha.AppendData(MemoryMarshal.AsBytes(frame.DepthRight.AsSpan()));
    }
}
Console.WriteLine($"frames SHA-256: {Convert.ToHexStringLower(sha.GetHashAndReset())}");

static IEnumerable<DistDepth.SimServer.Geometry.RigidPose> Poses(LoadedScene scene, StereoRig rig, ulong seed, int count) =>
    new TrajectoryPlanner(scene.Mesh, scene.Grid, rig.CameraHeightM)
        .Plan(new TrajectorySettings(TrajectoryKind.Navigate, seed, count)).Select(f => f.LeftCamera(rig.CameraHeightM));

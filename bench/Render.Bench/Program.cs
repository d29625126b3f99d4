// The embedded renderer alone, as simgen drives it: StereoRenderer.RenderInto into fixed buffers with
// simgen's outputs (RGB left and right, left depth), 512x512, on all cores. Prints CPU ms per stereo
// frame (rounds of 200 renders after a 3 s warm-up), then a SHA-256 over 80 more frames (two scenes,
// two sizes, all four outputs), so a change meant to leave the pixels alone can be checked by comparing
// that line before and after on one machine (the AVX2 and portable paths give different pixels); the
// hash is over procedural-v1 scenes with --shading flat, so it also shows those still give the old pixels.
// Issue 19: the rounds alternate today's scene (procedural-v1, ambient occlusion, issue 15's default) and
// the new interior (procedural, lit), both baked at load; the new frame's cost adds simgen's camera model
// (exposure, white balance, vignetting, defocus on both views), and each scene's load time is printed.
// A third kind of round renders the new interior with every room drawn, on the same poses: the cost
// cell-and-portal culling (ViewCells) saves.
// Usage: dotnet run -c Release --project bench/Render.Bench
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using DistDepth.SimBridge;
using DistDepth.SimServer.Navigation;
using DistDepth.SimServer.Rendering;
using DistDepth.SimServer.Scenes;

var simgen = StereoRig.SimSin with { Outputs = RigOutputs.RgbLeft | RigOutputs.RgbRight | RigOutputs.DepthLeft };
var scenes = new Dictionary<string, LoadedScene>();
foreach (var (name, id, shading) in new[] { ("today", "procedural-v1:1", SceneShading.Ao), ("new", "procedural:1", SceneShading.Lit) })
{
    var load = Stopwatch.StartNew();
    scenes[name] = new SceneCatalog(null, shading: shading).Load(id);
    Console.WriteLine($"{name}: {id}, --shading {shading.ToString().ToLowerInvariant()}, {scenes[name].Mesh.TriangleCount} triangles, loaded (generated, baked, walkable grid) in {load.Elapsed.TotalMilliseconds:F0} ms");
}
// The new interior once more with every room drawn (no ViewCells): what cell-and-portal culling saves.
var newMesh = scenes["new"].Mesh;
scenes["new, every room"] = scenes["new"] with
{
    Mesh = new(newMesh.Positions, newMesh.Colors, newMesh.Uvs, newMesh.Indices, newMesh.TriangleMaterials, newMesh.Materials, newMesh.SingleSided),
};
// The camera model as simgen pays for it: one camera per sequence, drawn from the sequence seed, so a frame
// costs the mean over sequences (a quarter draw no blur, the rest a blur of 1 to 7 taps); the dearest of them,
// the widest blur, is timed on its own too.
var cameras = Enumerable.Range(0, 64).Select(s => new CameraModel(new CameraEffects(), (ulong)s, simgen.Width, simgen.Height)).ToArray();
var widest = cameras.MaxBy(c => c.DefocusPx)!;
var developed = new byte[simgen.Width * simgen.Height * 3];
var renderer = new StereoRenderer(simgen);
var poses = scenes.ToDictionary(p => p.Key, p => Poses(scenes[p.Key == "today" ? "today" : "new"], simgen, 7, 100).Where((_, i) => i % 5 == 0).ToList());
var images = renderer.Render(scenes["today"].Mesh, poses["today"][0]);
var targets = new StereoTargets(images.RgbLeft, images.RgbRight, images.DepthLeft, images.DepthRight);
foreach (var name in scenes.Keys)
    for (var warm = Stopwatch.StartNew(); warm.Elapsed < TimeSpan.FromSeconds(3);) renderer.RenderInto(scenes[name].Mesh, poses[name][0], targets);
Console.WriteLine($"{simgen.Width}x{simgen.Height}, RGB left + right, left depth, {Environment.ProcessorCount} cores; camera model: {cameras.Length} sequences' cameras, " +
                  $"{cameras.Count(c => c.DefocusPx >= 0.3f)} of them blurring, the widest {widest.DefocusPx:F2} px");
var perScene = new Dictionary<string, List<double>> { ["today"] = [], ["new"] = [], ["new, every room"] = [], ["new + camera"] = [] };
string[] order = ["today", "new", "new, every room"];
for (var round = 1; round <= 12; round++)
{
    const int renders = 200;
    var name = order[(round - 1) % 3];
    var (mesh, path) = (scenes[name].Mesh, poses[name]);
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < renders; i++) renderer.RenderInto(mesh, path[i % path.Count], targets);
    var ms = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / renders;
    perScene[name].Add(ms);
    var line = $"round {round} ({name}): {renders / clock.Elapsed.TotalSeconds:F1} renders/s, CPU {ms:F2} ms per stereo frame";
    if (name == "new")
    {
        // simgen runs the camera model on its encoding threads, one frame per thread: the same here.
        double CameraMs(Func<int, CameraModel> camera)
        {
            var start = Process.GetCurrentProcess().TotalProcessorTime;
            for (var i = 0; i < renders; i++)
            {
                camera(i).Apply(images.RgbLeft, developed);
                camera(i).Apply(images.RgbRight, developed);
            }
            return (Process.GetCurrentProcess().TotalProcessorTime - start).TotalMilliseconds / renders;
        }
        var cameraMs = CameraMs(i => cameras[i % cameras.Length]);
        perScene["new + camera"].Add(ms + cameraMs);
        line += $", camera model {cameraMs:F2} ms (the widest blur {CameraMs(_ => widest):F2})";
    }
    Console.WriteLine(line);
}
// What a loaded interior holds (mesh, baked colours, view cells, walkable grid, and the renderer's shading
// tables with the textures as texels, built at the first render): the README's memory bound counts it.
static long Retained()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    return GC.GetTotalMemory(forceFullCollection: true);
}
var held = new List<(string Id, long Bytes, LoadedScene Scene)>();
for (var seed = 20; seed < 26; seed++)
{
    var before = Retained();
    var interior = new SceneCatalog(null).Load($"procedural:{seed}");
    renderer.Render(interior.Mesh, Poses(interior, simgen, 1, 1).First());
    held.Add(($"procedural:{seed}", Retained() - before, interior));
}
Console.WriteLine($"memory held per loaded interior (with its shading tables): {string.Join(", ", held.Select(h => $"{h.Id} {h.Bytes / 1e6:F1} MB"))}");
double Median(List<double> x) => x.Order().ElementAt(x.Count / 2);
var today = Median(perScene["today"]);
Console.WriteLine($"median CPU ms per stereo frame: today {today:F2}, new {Median(perScene["new"]):F2} ({Median(perScene["new"]) / today:F2}x), " +
                  $"new with every room drawn {Median(perScene["new, every room"]):F2} ({Median(perScene["new, every room"]) / today:F2}x), " +
                  $"new + camera model {Median(perScene["new + camera"]):F2} ({Median(perScene["new + camera"]) / today:F2}x; goal <= 1.5x)");

using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
foreach (var (id, rig) in new[] { ("procedural-v1:1", StereoRig.SimSin), ("procedural-v1:3", StereoRig.SimSin with { Width = 317, Height = 203 }) })
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

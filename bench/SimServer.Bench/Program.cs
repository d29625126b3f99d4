// Simulator benchmark (issue 3, acceptance 5). One run measures, on this machine:
//  1. 512x512 stereo RGB + z-depth renders/s on a procedural scene and on a ~100k-triangle .ply,
//     against Mesa llvmpipe (OSMesa via PyOpenGL) drawing the same triangles at the same size;
//     llvmpipe draws vertex colours, so the procedural scene is also timed like for like, with its
//     textures left off (vertex colours + depth, as llvmpipe draws it). Two rounds, alternating
//     the renderers, so each ratio compares figures taken seconds apart on this shared machine;
//  2. frames/s of RunTrajectory streamed over loopback gRPC against rendering the same trajectory
//     in process, with the images inline in the messages and through the shared-memory ring that a
//     client on the server's machine offers (FrameRing).
// Usage: dotnet run -c Release --project bench/SimServer.Bench [-- RENDERS]
using System.Diagnostics;
using System.Numerics;
using System.Text.Json;
using DistDepth.Sim.V1;
using DistDepth.SimServer.Geometry;
using DistDepth.SimServer.Navigation;
using DistDepth.SimServer.Rendering;
using DistDepth.SimServer.Scenes;
using DistDepth.SimServer.Service;
using Grpc.Core;
using Grpc.Net.Client;

var renders = args.Length > 0 ? int.Parse(args[0]) : 200;
var work = Directory.CreateTempSubdirectory("simserver-bench").FullName;
var rig = DistDepth.SimServer.Rendering.StereoRig.SimSin;
Console.WriteLine($"# SimServer bench: {Environment.ProcessorCount} cores, {rig.Width}x{rig.Height} stereo RGB + depth, {renders} renders per figure, Vector<float> x{Vector<float>.Count}");

var procedural = new SceneCatalog(null).Load("procedural:1");
var densePath = Path.Combine(work, "dense.ply");
SceneMeshWriter.WritePly(DenseMesh(), densePath, binary: true);
var dense = new SceneCatalog(null, namedFiles: [densePath]).Load(densePath);

var untextured = new SceneMesh(procedural.Mesh.Positions, procedural.Mesh.Colors, null, procedural.Mesh.Indices,
                               procedural.Mesh.TriangleMaterials, procedural.Mesh.Materials);
var rows = new List<string>();
foreach (var (name, scene, mesh) in new[]
         {
             ("procedural:1 (textured)", procedural, procedural.Mesh),
             ("procedural:1, vertex colours (like for like)", procedural, untextured),
             ("dense .ply (vertex colours)", dense, dense.Mesh),
         })
{
    var poses = Poses(scene, 20);
    var cells = new List<string>();
    for (var round = 0; round < 2; round++)
    {
        var ours = TimeRenders(mesh, poses);
        var mesa = Llvmpipe(mesh, poses, Path.Combine(work, "scene.bin"));
        cells.Add($"{ours:F1} / {mesa:F1} | {ours / mesa:F2}x");
    }
    rows.Add($"| {name} | {mesh.TriangleCount:N0} | {string.Join(" | ", cells)} |");
}
Console.WriteLine();
Console.WriteLine("| scene | triangles | round 1: SimServer / llvmpipe renders/s | ratio | round 2: SimServer / llvmpipe renders/s | ratio |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");
rows.ForEach(Console.WriteLine);

// The transport's cost is per byte, the render's per triangle: the ratio depends on the scene, so both are shown.
Console.WriteLine();
Console.WriteLine("| scene | in-process renders/s | RunTrajectory, images inline, frames/s | ratio | RunTrajectory, shared-memory ring, frames/s | ratio |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|");
foreach (var (name, scene) in new[] { ("procedural:1", procedural), ("dense .ply", dense) })
{
    for (var round = 1; round <= 2; round++)
    {
        var inProcess = InProcess(scene, renders);
        var inline = await Streamed(scene, renders, shared: false);
        var ring = await Streamed(scene, renders, shared: true);
        // Rendered again after the streams, so background load hits the reference as much as them.
        inProcess = (inProcess + InProcess(scene, renders)) / 2;
        Console.WriteLine($"| {name}, round {round} | {inProcess:F1} | {inline:F1} | {inline / inProcess:F2} | {ring:F1} | {ring / inProcess:F2} |");
    }
}
Directory.Delete(work, true);
return;

SceneMesh DenseMesh()
{
    // A procedural layout tessellated like a scan (Replica meshes are dense, uniform triangles).
    for (var cell = 0.4f; ; cell *= 0.9f)
    {
        var mesh = ProceduralLayout.Generate(1, cell);
        if (mesh.TriangleCount >= 100_000) return mesh;
    }
}

List<RigidPose> Poses(LoadedScene scene, int count) =>
    new TrajectoryPlanner(scene.Mesh, scene.Grid, rig.CameraHeightM)
        .Plan(new TrajectorySettings(TrajectoryKind.Navigate, 7, count * 5)).Where((_, i) => i % 5 == 0)
        .Select(f => f.LeftCamera(rig.CameraHeightM)).ToList();

double TimeRenders(SceneMesh mesh, List<RigidPose> poses)
{
    var renderer = new StereoRenderer(rig);
    // Long enough for tiered JIT to reach optimised code; the server runs for hours.
    for (var warm = Stopwatch.StartNew(); warm.Elapsed < TimeSpan.FromSeconds(2);) renderer.Render(mesh, poses[0]);
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < renders; i++) renderer.Render(mesh, poses[i % poses.Count]);
    return renders / clock.Elapsed.TotalSeconds;
}

double Llvmpipe(SceneMesh mesh, List<RigidPose> poses, string path)
{
    using (var w = new BinaryWriter(File.Create(path)))
    {
        foreach (var v in new[] { rig.Width, rig.Height, mesh.Positions.Length, mesh.Indices.Length, poses.Count }) w.Write(v);
        w.Write(rig.Intrinsics.Fx);
        w.Write(rig.BaselineM);
        foreach (var p in mesh.Positions) { w.Write(p.X); w.Write(p.Y); w.Write(p.Z); }
        for (var i = 0; i < mesh.Positions.Length; i++)
        {
            // Bake our flat lighting into the colours so both images look alike; llvmpipe interpolates them.
            var c = mesh.Colors[i] * mesh.Materials[0].BaseColor;
            w.Write(c.X); w.Write(c.Y); w.Write(c.Z);
        }
        foreach (var i in mesh.Indices) w.Write(i);
        foreach (var pose in poses)
        {
            var m = pose.ToMatrix3x4();
            foreach (var v in m) w.Write(v);
            foreach (var v in new[] { 0f, 0f, 0f, 1f }) w.Write(v);
        }
    }
    var info = new ProcessStartInfo("/usr/bin/python3")
    {
        ArgumentList = { Path.Combine(AppContext.BaseDirectory, "llvmpipe_bench.py"), path, renders.ToString() },
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    };
    info.Environment["PYOPENGL_PLATFORM"] = "osmesa";
    using var process = Process.Start(info)!;
    var stderr = process.StandardError.ReadToEndAsync();
    var stdout = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0) throw new InvalidOperationException($"llvmpipe_bench.py failed: {stderr.Result}");
    var result = JsonDocument.Parse(stdout.Trim().Split('\n')[^1]).RootElement;
    Console.WriteLine($"  llvmpipe: {result.GetProperty("renderer").GetString()}, {mesh.TriangleCount:N0} triangles, {result.GetProperty("renders_per_s").GetDouble():F1} renders/s");
    return result.GetProperty("renders_per_s").GetDouble();
}

double InProcess(LoadedScene scene, int frames)
{
    var renderer = new StereoRenderer(rig);
    var clock = Stopwatch.StartNew();
    foreach (var f in new TrajectoryPlanner(scene.Mesh, scene.Grid, rig.CameraHeightM).Plan(new TrajectorySettings(TrajectoryKind.Navigate, 5, frames)))
        renderer.Render(scene.Mesh, f.LeftCamera(rig.CameraHeightM));
    return frames / clock.Elapsed.TotalSeconds;
}

async Task<double> Streamed(LoadedScene scene, int frames, bool shared)
{
    await using var host = await SimulatorHost.StartAsync();
    using var channel = GrpcChannel.ForAddress(host.Address, new GrpcChannelOptions
    {
        MaxReceiveMessageSize = null,
        HttpHandler = new SocketsHttpHandler { InitialHttp2StreamWindowSize = 16 << 20 }, // as SimBridge's client
    });
    var client = new Simulator.SimulatorClient(channel);
    var session = (await client.LoadSceneAsync(new LoadSceneRequest { SceneId = scene.Id })).SessionId;
    using var ring = shared ? FrameRing.Reader.Create(FrameRing.SlotBytesFor(rig.Width, rig.Height)) : null;
    var clock = Stopwatch.StartNew();
    var received = 0;
    using var call = client.RunTrajectory(new RunTrajectoryRequest { SessionId = session, Seed = 5, FrameCount = frames, SharedMemory = ring?.Offer });
    await foreach (var frame in call.ResponseStream.ReadAllAsync())
    {
        if (shared && frame.SharedMemory == null) throw new InvalidOperationException("the server declined the shared-memory ring");
        ring?.Receive(frame).Detach();
        if (frame.RgbLeft.Length == rig.Width * rig.Height * 3 && frame.DepthRight.Length == rig.Width * rig.Height * 4) received++;
    }
    if (received != frames) throw new InvalidOperationException($"received {received} of {frames} frames");
    return frames / clock.Elapsed.TotalSeconds;
}

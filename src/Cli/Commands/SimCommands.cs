using System.CommandLine;
using DistDepth.Dataset;
using DistDepth.SimServer.Geometry;
using DistDepth.SimServer.Navigation;
using DistDepth.SimServer.Rendering;
using DistDepth.SimServer.Scenes;
using DistDepth.SimServer.Service;
using Spectre.Console;

namespace DistDepth.Cli.Commands;

/// <summary>`distdepth sim serve|render`: the embedded simulator as a gRPC server, or one render for a person.</summary>
public static class SimCommands
{
    public static Command Create() => new("sim", "The embedded stereo simulator (no habitat-sim needed)") { Serve(), Render() };

    internal static Option<string?> UpOption() => new("--up") { Description = "Which axis of the scene files points up: y or z (default: the scene's habitat config, else bare .glb z-up, .gltf/.ply y-up)" };

    internal static Option<string?> ShadingOption() => new("--shading") { Description = "lit (default: ambient occlusion and, in procedural interiors, their lights, baked per vertex at load), ao (occlusion alone) or flat (sun + ambient only, as compared against Blender; simgen then adds no camera effects)" };

    private static Option<string?> ScenesOption() => new("--scenes") { Description = "Folder of .ply/.glb/.gltf scenes to list and load by name" };

    private static Command Serve()
    {
        var d = new ServerLimits();
        var port = new Option<int>("--port") { Description = "TCP port (0 picks a free one)", DefaultValueFactory = _ => 50051 };
        var host = new Option<string>("--host") { Description = "Address to listen on; beyond loopback it needs --token-file and --tls-cert/--tls-key", DefaultValueFactory = _ => "127.0.0.1" };
        var scenes = ScenesOption();
        var token = new Option<string?>("--token-file") { Description = "File holding the token clients must send ('authorization: Bearer <token>')" };
        var cert = new Option<string?>("--tls-cert") { Description = "PEM certificate to serve TLS with (with --tls-key)" };
        var key = new Option<string?>("--tls-key") { Description = "PEM private key of --tls-cert" };
        var maxSessions = new Option<int>("--max-sessions") { Description = "Open sessions at most; more is RESOURCE_EXHAUSTED", DefaultValueFactory = _ => d.MaxSessions };
        var idle = new Option<double>("--session-idle-timeout") { Description = "Seconds without a call or a streamed frame before a session is closed", DefaultValueFactory = _ => d.Idle.TotalSeconds };
        var sceneCache = new Option<int>("--scene-cache") { Description = "Loaded scenes kept for later sessions (least recently used go first)", DefaultValueFactory = _ => d.SceneCacheSize };
        var streamBuffer = new Option<int>("--stream-buffer-mb") { Description = "Rendered frames of one stream not yet sent, MB (at least one frame)", DefaultValueFactory = _ => (int)(d.StreamBufferBytes >> 20) };
        var up = UpOption();
        var shading = ShadingOption();
        var command = new Command("serve", "Serve the simulator protocol (gRPC over HTTP/2) until Ctrl+C")
        {
            port, host, scenes, token, cert, key, maxSessions, idle, sceneCache, streamBuffer, up, shading,
        };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async ct =>
        {
            if ((parse.GetValue(cert) == null) != (parse.GetValue(key) == null)) throw new ArgumentException("--tls-cert and --tls-key go together");
            if (!(parse.GetValue(idle) is > 0 and <= 1e6)) throw new ArgumentException($"--session-idle-timeout {parse.GetValue(idle)} must be 0..1e6 seconds");
            var options = new SimulatorHostOptions(
                parse.GetValue(host)!, parse.GetValue(port), parse.GetValue(scenes),
                Token: parse.GetValue(token) is { } tokenFile ? ServerCredentials.ReadToken(tokenFile) : null,
                Certificate: parse.GetValue(cert) is { } certFile ? ServerCredentials.ReadCertificate(certFile, parse.GetValue(key)!) : null,
                Limits: new ServerLimits(parse.GetValue(maxSessions), TimeSpan.FromSeconds(parse.GetValue(idle)), parse.GetValue(sceneCache),
                    (long)parse.GetValue(streamBuffer) << 20),
                Up: SceneUp(parse.GetValue(up)), Shading: AmbientOcclusion.Parse(parse.GetValue(shading)));
            if (options.SceneDirectory != null && !Directory.Exists(options.SceneDirectory))
                throw new DirectoryNotFoundException($"--scenes {options.SceneDirectory}: no such folder");
            await using var server = await SimulatorHost.StartAsync(options, ct);
            AnsiConsole.MarkupLine($"simulator listening on [blue]{server.Address}[/] (Ctrl+C stops)");
            await server.WaitForShutdownAsync(ct);
            return 0;
        }, ct));
        return command;
    }

    private static Command Render()
    {
        var scene = new Option<string>("--scene") { Description = "procedural:<seed>, a scene name in --scenes or a .ply/.glb/.gltf path", DefaultValueFactory = _ => "procedural:0" };
        var output = new Option<string>("--out") { Description = "PNG to write: left | right | left depth (magma, near bright; void grey)", Required = true };
        var size = new Option<int>("--size") { Description = "Image width and height in pixels", DefaultValueFactory = _ => 512 };
        var seed = new Option<ulong>("--seed") { Description = "Picks the pose (first frame of a seeded walk)", DefaultValueFactory = _ => 0 };
        var scenes = ScenesOption();
        var up = UpOption();
        var shading = ShadingOption();
        var command = new Command("render", "Render one stereo pair and its depth to a PNG") { scene, output, size, seed, scenes, up, shading };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(ct =>
        {
            // The person running this names the file: it may be anywhere they can read (a server confines clients to --scenes).
            var id = parse.GetValue(scene)!;
            var rig = StereoRig.SimSin with { Width = parse.GetValue(size), Height = parse.GetValue(size) };
            rig.Validate();
            var catalog = new SceneCatalog(parse.GetValue(scenes), namedFiles: [id], shading: AmbientOcclusion.Parse(parse.GetValue(shading)));
            LoadedScene loaded;
            RigidPose camera;
            float median;
            try
            {
                loaded = catalog.Load(id, SceneUp(parse.GetValue(up)));
                (camera, median, _) = PreviewPose.Pick(loaded.Mesh, loaded.Grid, rig, parse.GetValue(seed));
            }
            catch (Exception e) when (e is SceneFormatException or TrajectoryPlanner.PlanningException)
            {
                throw new InvalidDataException($"scene '{id}' cannot be used: {e.Message}");
            }
            var images = new StereoRenderer(rig).Render(loaded.Mesh, camera);
            var path = parse.GetValue(output)!;
            int w = rig.Width, h = rig.Height;
            var panel = ContactSheet.SideBySide([new RgbImage(w, h, images.RgbLeft!), new RgbImage(w, h, images.RgbRight!), DepthColormap.Colourise(new DepthMap(w, h, images.DepthLeft!))]);
            File.WriteAllBytes(path, ImageCodec.EncodeRgb(panel));
            AnsiConsole.MarkupLine($"wrote [blue]{Markup.Escape(Path.GetFullPath(path))}[/] ({loaded.Mesh.TriangleCount} triangles, camera at {camera.Position}, median depth {median:F2} m)");
            return Task.FromResult(0);
        }, ct));
        return command;
    }

    /// <summary>Checks --up where it is typed, so a typo fails before a server starts.</summary>
    internal static string? SceneUp(string? up) => SceneAxes.Parse(up) == null ? null : up;
}

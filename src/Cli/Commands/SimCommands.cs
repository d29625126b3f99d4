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

    internal static Option<string?> ShadingOption() => new("--shading") { Description = "ao (default: ambient occlusion baked per vertex at load) or flat (sun + ambient only, as compared against Blender)" };

    private static Option<string?> ScenesOption() => new("--scenes") { Description = "Folder of .ply/.glb/.gltf scenes to list and load by name" };

    private static Command Serve()
    {
        var port = new Option<int>("--port") { Description = "TCP port (0 picks a free one)", DefaultValueFactory = _ => 50051 };
        var host = new Option<string>("--host") { Description = "Address to listen on; loopback unless you mean to expose it", DefaultValueFactory = _ => "127.0.0.1" };
        var scenes = ScenesOption();
        var up = UpOption();
        var shading = ShadingOption();
        var command = new Command("serve", "Serve the simulator protocol (gRPC, h2c) until Ctrl+C") { port, host, scenes, up, shading };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async ct =>
        {
            await using var server = await SimulatorHost.StartAsync(parse.GetValue(host)!, parse.GetValue(port), parse.GetValue(scenes), cancellationToken: ct, up: SceneUp(parse.GetValue(up)), shading: AmbientOcclusion.Parse(parse.GetValue(shading)));
            AnsiConsole.MarkupLine($"simulator listening on [blue]{server.Address}[/] (Ctrl+C stops)");
            await server.WaitForShutdownAsync(ct);
            return 0;
        }, ct));
        return command;
    }

    private static Command Render()
    {
        var scene = new Option<string>("--scene") { Description = "procedural:<seed>, a scene name or a .ply/.glb/.gltf path", DefaultValueFactory = _ => "procedural:0" };
        var output = new Option<string>("--out") { Description = "PNG to write: left | right | left depth (magma, near bright; void grey)", Required = true };
        var size = new Option<int>("--size") { Description = "Image width and height in pixels", DefaultValueFactory = _ => 512 };
        var seed = new Option<ulong>("--seed") { Description = "Picks the pose (first frame of a seeded walk)", DefaultValueFactory = _ => 0 };
        var scenes = ScenesOption();
        var up = UpOption();
        var shading = ShadingOption();
        var command = new Command("render", "Render one stereo pair and its depth to a PNG") { scene, output, size, seed, scenes, up, shading };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(ct =>
        {
            var id = parse.GetValue(scene)!;
            var rig = StereoRig.SimSin with { Width = parse.GetValue(size), Height = parse.GetValue(size) };
            rig.Validate();
            var catalog = new SceneCatalog(parse.GetValue(scenes), shading: AmbientOcclusion.Parse(parse.GetValue(shading)));
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

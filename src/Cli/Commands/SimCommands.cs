using System.CommandLine;
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

    private static Option<string?> ScenesOption() => new("--scenes") { Description = "Folder of .ply/.glb/.gltf scenes to list and load by name" };

    private static Command Serve()
    {
        var port = new Option<int>("--port") { Description = "TCP port (0 picks a free one)", DefaultValueFactory = _ => 50051 };
        var host = new Option<string>("--host") { Description = "Address to listen on; loopback unless you mean to expose it", DefaultValueFactory = _ => "127.0.0.1" };
        var scenes = ScenesOption();
        var command = new Command("serve", "Serve the simulator protocol (gRPC, h2c) until Ctrl+C") { port, host, scenes };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(async ct =>
        {
            await using var server = await SimulatorHost.StartAsync(parse.GetValue(host)!, parse.GetValue(port), parse.GetValue(scenes), cancellationToken: ct);
            AnsiConsole.MarkupLine($"simulator listening on [blue]{server.Address}[/] (Ctrl+C stops)");
            await server.WaitForShutdownAsync(ct);
            return 0;
        }, ct));
        return command;
    }

    private static Command Render()
    {
        var scene = new Option<string>("--scene") { Description = "procedural:<seed>, a scene name or a .ply/.glb/.gltf path", DefaultValueFactory = _ => "procedural:0" };
        var output = new Option<string>("--out") { Description = "PNG to write: left | right | colourised left depth", Required = true };
        var size = new Option<int>("--size") { Description = "Image width and height in pixels", DefaultValueFactory = _ => 512 };
        var seed = new Option<ulong>("--seed") { Description = "Picks the pose (first frame of a seeded walk)", DefaultValueFactory = _ => 0 };
        var scenes = ScenesOption();
        var command = new Command("render", "Render one stereo pair and its depth to a PNG") { scene, output, size, seed, scenes };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(ct =>
        {
            var loaded = new SceneCatalog(parse.GetValue(scenes)).Load(parse.GetValue(scene)!);
            var rig = StereoRig.SimSin with { Width = parse.GetValue(size), Height = parse.GetValue(size) };
            rig.Validate();
            var first = new TrajectoryPlanner(loaded.Mesh, loaded.Grid, rig.CameraHeightM)
                .Plan(new TrajectorySettings(TrajectoryKind.Navigate, parse.GetValue(seed), 1)).First();
            var camera = first.LeftCamera(rig.CameraHeightM);
            var images = new StereoRenderer(rig).Render(loaded.Mesh, camera);
            var path = parse.GetValue(output)!;
            StereoPreview.Write(path, images, rig.Width, rig.Height);
            AnsiConsole.MarkupLine($"wrote [blue]{Markup.Escape(Path.GetFullPath(path))}[/] ({loaded.Mesh.TriangleCount} triangles, camera at {camera.Position})");
            return Task.FromResult(0);
        }, ct));
        return command;
    }
}

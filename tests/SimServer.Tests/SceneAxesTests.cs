using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using DistDepth.Sim.V1;
using DistDepth.SimServer.Geometry;
using DistDepth.SimServer.Scenes;
using DistDepth.SimServer.Service;
using Grpc.Core;
using Xunit.Abstractions;

namespace DistDepth.SimServer.Tests;

/// <summary>Issue 15, acceptance 1: scenes stored z-up or y-up, habitat configs, Replica-style PLY.</summary>
public sealed class SceneAxesTests(SimulatorFixture sim, ITestOutputHelper log) : IClassFixture<SimulatorFixture>
{
    private static readonly SceneMesh Room = ProceduralLayout.Generate(4, maxCellSize: 2f);

    /// <summary>The room as a z-up file stores it (habitat's MP3D/Replica frame: +z up, +y front).</summary>
    private static SceneMesh StoredZUp(SceneMesh m) =>
        new(m.Positions.Select(p => new Vector3(p.X, -p.Z, p.Y)).ToArray(), m.Colors, m.Uvs, m.Indices, m.TriangleMaterials, m.Materials);

    /// <summary>The room as a y-up file, the reference every other storage is compared with.</summary>
    private async Task<string> Reference()
    {
        var path = Path.Combine(Folder("reference"), "room.ply");
        SceneMeshWriter.WritePly(Room, path, binary: true);
        return await Open(path);
    }

    /// <summary>A fresh folder inside the server's --scenes folder: clients may load only files there (issue 12).</summary>
    private string Folder(string name)
    {
        var path = Path.Combine(sim.SceneDirectory, $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>The scene id a client gives for a file in the scene folder: its path relative to that folder.</summary>
    private string Id(string path) => Path.IsPathRooted(path) ? Path.GetRelativePath(sim.SceneDirectory, path) : path;

    private async Task<string> Open(string path, string up = "")
    {
        var session = (await sim.Client.LoadSceneAsync(new LoadSceneRequest { SceneId = Id(path), Up = up })).SessionId;
        await sim.Client.ConfigureRigAsync(new ConfigureRigRequest { SessionId = session, Rig = new Sim.V1.StereoRig { Width = 64, Height = 64 } });
        return session;
    }

    private async Task<List<float[]>> Depths(string session, string reference)
    {
        var depths = new List<float[]>();
        var rng = new Random(3);
        for (var i = 0; i < 5; i++)
        {
            var point = (await sim.Client.SampleNavigablePointAsync(new SampleNavigablePointRequest { SessionId = reference, Seed = (ulong)i })).Point;
            var body = new RigidPose(point.ToVector3(), RigidPose.FromYawPitch(rng.NextSingle() * MathF.Tau, (rng.NextSingle() - 0.5f) * 0.6f));
            await sim.Client.SetPoseAsync(new SetPoseRequest { SessionId = session, Agent = body.ToProto() });
            var frame = await sim.Client.RenderAsync(new RenderRequest { SessionId = session });
            depths.Add(MemoryMarshal.Cast<byte, float>(frame.DepthLeft.Span).ToArray());
        }
        return depths;
    }

    private async Task AssertSameDepth(string expectedSession, string actualSession)
    {
        var expected = await Depths(expectedSession, expectedSession);
        var actual = await Depths(actualSession, expectedSession);
        var worst = expected.Zip(actual).SelectMany(p => p.First.Zip(p.Second, (a, b) => MathF.Abs(a - b))).Max();
        log.WriteLine($"largest depth difference over 5 views: {worst * 1000:F4} mm");
        Assert.True(worst <= 1e-3f, $"depth differs by {worst * 1000:F2} mm");
        Assert.Contains(expected[0], d => d > 0.5f);
    }

    private async Task<RpcException> LoadFails(string id, string up = "")
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => sim.Client.LoadSceneAsync(new LoadSceneRequest { SceneId = Id(id), Up = up }).ResponseAsync);
        log.WriteLine($"{e.StatusCode}: {e.Status.Detail}");
        return e;
    }

    [Fact]
    public async Task Z_up_and_y_up_files_of_one_room_give_the_same_depth_with_the_right_up()
    {
        var dir = Folder("axes");
        string yUp = Path.Combine(dir, "room-y.ply"), zUp = Path.Combine(dir, "room-z.ply"), zGlb = Path.Combine(dir, "room-z.glb");
        SceneMeshWriter.WritePly(Room, yUp, binary: true);
        SceneMeshWriter.WritePly(StoredZUp(Room), zUp, binary: true);
        SceneMeshWriter.WriteGlb(StoredZUp(Room), zGlb);
        var reference = await Open(yUp);
        await AssertSameDepth(reference, await Open(zUp, "z"));
        // Habitat's rule: a bare .glb is z-up, so no flag is needed.
        await AssertSameDepth(reference, await Open(zGlb));
    }

    [Fact]
    public async Task Sideways_scene_is_refused_naming_up()
    {
        var dir = Folder("sideways");
        var zUp = Path.Combine(dir, "room-z.ply");
        var yGlb = Path.Combine(dir, "room-y.glb");
        SceneMeshWriter.WritePly(StoredZUp(Room), zUp, binary: true);
        SceneMeshWriter.WriteGlb(Room, yGlb);
        foreach (var path in new[] { zUp, yGlb })
        {
            var e = await LoadFails(path);
            Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
            Assert.Contains("on its side", e.Status.Detail);
            Assert.Contains("--up", e.Status.Detail);
            Assert.DoesNotContain('\n', e.Status.Detail);
        }
        // The same y-up .glb loads when the user says so.
        await Open(yGlb, "y");
    }

    [Fact]
    public async Task Unknown_up_is_invalid_argument()
    {
        var e = await LoadFails("procedural:1", "x");
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("--up 'x'", e.Status.Detail);
    }

    [Fact]
    public async Task Scene_dataset_config_up_is_honoured()
    {
        // Replica's layout: the dataset config at the root, one folder per scene holding mesh.ply.
        var root = Folder("replica");
        Directory.CreateDirectory(Path.Combine(root, "room_0"));
        var mesh = Path.Combine(root, "room_0", "mesh.ply");
        SceneMeshWriter.WritePly(StoredZUp(Room), mesh, binary: true);
        File.WriteAllText(Path.Combine(root, "replica.scene_dataset_config.json"),
            """{ "stages": { "default_attributes": { "up": [0, 0, 1], "front": [0, 1, 0] }, "paths": { ".ply": ["*/mesh.ply"] } } }""");
        var reference = await Reference();
        await AssertSameDepth(reference, await Open(mesh));
        // A scene's own stage config wins over the dataset's: this y-up copy says so beside it.
        Directory.CreateDirectory(Path.Combine(root, "room_1"));
        SceneMeshWriter.WritePly(Room, Path.Combine(root, "room_1", "mesh.ply"), binary: true);
        File.WriteAllText(Path.Combine(root, "room_1", "mesh.stage_config.json"), """{ "render_asset": "mesh.ply", "up": [0, 1, 0] }""");
        await AssertSameDepth(reference, await Open(Path.Combine(root, "room_1", "mesh.ply")));
    }

    [Fact]
    public async Task Stage_config_names_the_render_asset_and_its_frame_and_scale()
    {
        var dir = Folder("stage");
        var halfSize = new SceneMesh(StoredZUp(Room).Positions.Select(p => p / 2).ToArray(), Room.Colors, Room.Uvs, Room.Indices, Room.TriangleMaterials, Room.Materials);
        SceneMeshWriter.WritePly(halfSize, Path.Combine(dir, "half.ply"), binary: false);
        var config = Path.Combine(dir, "room.stage_config.json");
        File.WriteAllText(config, """{ "render_asset": "half.ply", "up": [0, 0, 1], "front": [0, 1, 0], "scale": [2, 2, 2] }""");
        await AssertSameDepth(await Reference(), await Open(config));

        var broken = Path.Combine(dir, "broken.stage_config.json");
        File.WriteAllText(broken, """{ "render_asset": "missing.glb" }""");
        var e = await LoadFails(broken);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains("missing.glb", e.Status.Detail);
    }

    [Fact]
    public async Task Floorless_scene_is_failed_precondition()
    {
        // Four walls and nothing to stand on, stated y-up so the sideways guard stays out of it.
        var b = new MeshBuilder();
        var white = b.AddMaterial(new Material(Vector3.One, null));
        foreach (var (a, c) in new[] { (new Vector3(0, 0, 0), new Vector3(4, 0, 0)), (new Vector3(4, 0, 0), new Vector3(4, 0, 4)), (new Vector3(4, 0, 4), new Vector3(0, 0, 4)), (new Vector3(0, 0, 4), new Vector3(0, 0, 0)) })
            b.AddQuad(a, c, c + new Vector3(0, 2.5f, 0), a + new Vector3(0, 2.5f, 0), white, Vector3.One, 1f);
        var path = Path.Combine(Folder("floorless"), "walls.ply");
        SceneMeshWriter.WritePly(b.Build(), path, binary: false);
        var e = await LoadFails(path, "y");
        Assert.Equal(StatusCode.FailedPrecondition, e.StatusCode);
        Assert.Contains("walkable floor", e.Status.Detail);
    }

    [Fact]
    public void Replica_style_ply_loads_polygon_faces_and_vertex_colours()
    {
        // Replica's mesh.ply: float x y z nx ny nz, uchar red green blue alpha, quads as faces; z up.
        // Here: a 6 x 5 m room, 2.5 m high, floor red, walls green, a pentagon table top blue.
        var vertices = new List<(Vector3 P, byte[] Rgb)>();
        var faces = new List<int[]>();
        void Face(byte[] rgb, params Vector3[] corners)
        {
            faces.Add(corners.Select(c => { vertices.Add((c, rgb)); return vertices.Count - 1; }).ToArray());
        }
        byte[] red = [200, 30, 30], green = [30, 200, 30], blue = [30, 30, 200];
        Face(red, new(0, 0, 0), new(6, 0, 0), new(6, 5, 0), new(0, 5, 0));
        Face(green, new(0, 0, 0), new(0, 0, 2.5f), new(6, 0, 2.5f), new(6, 0, 0));
        Face(green, new(0, 5, 0), new(6, 5, 0), new(6, 5, 2.5f), new(0, 5, 2.5f));
        Face(green, new(0, 0, 0), new(0, 5, 0), new(0, 5, 2.5f), new(0, 0, 2.5f));
        Face(blue, Enumerable.Range(0, 5).Select(k => new Vector3(3 + 0.5f * MathF.Cos(k * MathF.Tau / 5), 2.5f + 0.5f * MathF.Sin(k * MathF.Tau / 5), 0.8f)).ToArray());
        var header = new StringBuilder("ply\nformat binary_little_endian 1.0\n")
            .Append(CultureInfo.InvariantCulture, $"element vertex {vertices.Count}\n")
            .Append("property float x\nproperty float y\nproperty float z\nproperty float nx\nproperty float ny\nproperty float nz\n")
            .Append("property uchar red\nproperty uchar green\nproperty uchar blue\nproperty uchar alpha\n")
            .Append(CultureInfo.InvariantCulture, $"element face {faces.Count}\nproperty list uchar int vertex_indices\nend_header\n");
        var root = Folder("replica-ply");
        var path = Path.Combine(root, "mesh.ply");
        using (var w = new BinaryWriter(File.Create(path)))
        {
            w.Write(Encoding.ASCII.GetBytes(header.ToString()));
            foreach (var (p, rgb) in vertices)
            {
                w.Write(p.X); w.Write(p.Y); w.Write(p.Z); w.Write(0f); w.Write(0f); w.Write(1f);
                w.Write(rgb); w.Write((byte)255);
            }
            foreach (var f in faces)
            {
                w.Write((byte)f.Length);
                foreach (var i in f) w.Write(i);
            }
        }
        File.WriteAllText(Path.Combine(root, "replica.scene_dataset_config.json"), """{ "stages": { "default_attributes": { "up": [0, 0, 1], "front": [0, 1, 0] } } }""");

        var scene = new SceneCatalog(null, namedFiles: [path]).Load(path);
        Assert.Equal(4 * 2 + 3, scene.Mesh.TriangleCount);
        Assert.True(Vector3.Distance(new Vector3(200, 30, 30) / 255f, scene.Mesh.Colors[0]) < 1e-6f);
        Assert.True(Vector3.Distance(new Vector3(30, 30, 200) / 255f, scene.Mesh.Colors[^1]) < 1e-6f);
        // z-up turned y-up: the floor at y = 0, the walls reach y = 2.5, the room spans z in [-5, 0].
        Assert.Equal(new Vector3(0, 0, -5), scene.Mesh.BoundsMin);
        Assert.Equal(new Vector3(6, 2.5f, 0), scene.Mesh.BoundsMax);
        Assert.InRange(scene.Grid.LargestIslandArea, 15f, 30f);
        Assert.Equal(0f, scene.Grid.FloorY, 3);
    }
}

using DistDepth.Sim.V1;
using DistDepth.SimServer.Scenes;
using Grpc.Core;

namespace DistDepth.SimServer.Tests;

/// <summary>Issue 12 finding 10: a client loads mesh files from the server's scene folder only, by relative
/// name, and cannot tell from the answer whether a file outside exists or what it holds.</summary>
public sealed class SceneConfinementTests(SimulatorFixture sim) : IClassFixture<SimulatorFixture>
{
    private const string Secret = "SECRET-FIRST-LINE-4711";

    private async Task<RpcException> LoadFails(string id) =>
        await Assert.ThrowsAsync<RpcException>(() => sim.Client.LoadSceneAsync(new LoadSceneRequest { SceneId = id }).ResponseAsync);

    [Fact]
    public async Task Paths_leading_out_of_the_scene_folder_are_not_found_like_absent_files_and_echo_nothing()
    {
        var outside = TempFolder.New("outside");
        var mesh = Path.Combine(outside, "room.ply");
        SceneMeshWriter.WritePly(ProceduralLayout.Generate(3, maxCellSize: 2f), mesh, binary: false);
        var secret = Path.Combine(outside, "secret.ply");
        File.WriteAllText(secret, Secret + "\nnot a ply\n");
        var sub = Directory.CreateDirectory(Path.Combine(sim.SceneDirectory, "sub")).FullName;
        File.CreateSymbolicLink(Path.Combine(sim.SceneDirectory, "link-out.ply"), mesh);
        Directory.CreateSymbolicLink(Path.Combine(sub, "dir-out"), outside);
        File.Copy(mesh, Path.Combine(sub, "inside.ply"));
        File.CreateSymbolicLink(Path.Combine(sim.SceneDirectory, "link-in.ply"), Path.Combine(sub, "inside.ply"));

        // Inside, by relative name, through a link that stays inside too: loads.
        Assert.Equal("sub/inside.ply", (await sim.Client.LoadSceneAsync(new LoadSceneRequest { SceneId = "sub/inside.ply" })).Scene.Id);
        Assert.True((await sim.Client.LoadSceneAsync(new LoadSceneRequest { SceneId = "link-in.ply" })).TriangleCount > 0);

        var relativeOut = Path.GetRelativePath(sim.SceneDirectory, mesh);
        string[] forbidden = [mesh, secret, relativeOut, Path.GetRelativePath(sim.SceneDirectory, secret), "link-out.ply", "sub/dir-out/room.ply",
                              "sub/../link-out.ply", "/etc/passwd", "/etc/hostname"];
        string[] absent = ["absent.ply", Path.Combine(outside, "absent.ply"), "sub/absent.glb"];
        var details = new HashSet<string>();
        foreach (var id in forbidden.Concat(absent))
        {
            var e = await LoadFails(id);
            Assert.Equal(StatusCode.NotFound, e.StatusCode);
            Assert.DoesNotContain(Secret, e.Status.Detail);
            details.Add(e.Status.Detail.Replace($"'{id}'", "'<id>'"));
        }
        Assert.Single(details); // one answer for all: nothing tells an existing file outside from an absent one

        var listed = (await sim.Client.ListScenesAsync(new ListScenesRequest())).Scenes.Select(s => s.Id).ToList();
        Assert.Contains("sub/inside.ply", listed);
        Assert.DoesNotContain("link-out.ply", listed);
        Assert.DoesNotContain(listed, id => id.Contains("dir-out"));
    }

    [Fact]
    public async Task A_scene_file_that_is_not_a_mesh_is_refused_without_quoting_it()
    {
        File.WriteAllText(Path.Combine(sim.SceneDirectory, "quoted.ply"), $"ply\n{Secret} 1 2\nend_header\n");
        var e = await LoadFails("quoted.ply");
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.DoesNotContain(Secret, e.Status.Detail);
        Assert.Contains("PLY header", e.Status.Detail);
    }
}

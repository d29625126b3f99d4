using System.Security.Cryptography;
using DistDepth.Sim.V1;
using DistDepth.SimServer.Scenes;
using DistDepth.SimServer.Service;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit.Abstractions;

namespace DistDepth.SimProtocol.Tests;

/// <summary>Issue 12 acceptance 2, the protocol half: a thousand random requests, ring offers among them,
/// against a live `sim serve`. None may kill it, get a status that means a server bug, show an
/// exception's text or a file's content, or change a file outside the test's own folder.</summary>
public sealed class ProtoFuzzTests(ITestOutputHelper log)
{
    const string Secret = "SENTINEL-SECRET-5150";
    static readonly StatusCode[] Answers = [StatusCode.OK, StatusCode.InvalidArgument, StatusCode.NotFound, StatusCode.FailedPrecondition,
                                            StatusCode.ResourceExhausted, StatusCode.Aborted, StatusCode.Cancelled, StatusCode.DeadlineExceeded];

    /// <summary>Files a hostile client would aim at: a mesh and a ring-shaped file outside the scene folder,
    /// a text file, a link to them from inside the scene folder.</summary>
    static (string Sentinel, string Scenes) Tree()
    {
        var root = TempFolder.New("fuzz");
        var sentinel = Directory.CreateDirectory(Path.Combine(root, "sentinel")).FullName;
        var scenes = Directory.CreateDirectory(Path.Combine(root, "scenes")).FullName;
        SceneMeshWriter.WritePly(ProceduralLayout.Generate(5, maxCellSize: 2f), Path.Combine(sentinel, "room.ply"), binary: true);
        File.WriteAllText(Path.Combine(sentinel, "secret.ply"), $"{Secret}\n");
        File.WriteAllText(Path.Combine(sentinel, "notes.txt"), $"{Secret} notes\n");
        var ring = new byte[4096 + 2 * FrameRing.SlotBytesFor(8, 8)];
        "DDDRING1"u8.CopyTo(ring);
        File.WriteAllBytes(Path.Combine(sentinel, $"{FrameRing.FilePrefix}x{FrameRing.FileSuffix}"), ring);
        SceneMeshWriter.WritePly(ProceduralLayout.Generate(6, maxCellSize: 2f), Path.Combine(scenes, "inside.ply"), binary: false);
        File.CreateSymbolicLink(Path.Combine(scenes, "out.ply"), Path.Combine(sentinel, "room.ply"));
        return (sentinel, scenes);
    }

    static Dictionary<string, string> Hashes(string folder) => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
        .ToDictionary(f => f, f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f))));

    /// <summary>Ring files in /dev/shm of these processes (others' runs may come and go there meanwhile).</summary>
    static string[] ShmRings(params int[] pids) =>
        Directory.Exists("/dev/shm") ? pids.SelectMany(pid => Directory.GetFiles("/dev/shm", $"{FrameRing.FilePrefix}{pid}-*")).ToArray() : [];

    [Fact]
    public async Task AThousandRandomRequestsNeitherKillTheServerNorTouchOtherFiles()
    {
        var (sentinel, scenes) = Tree();
        var before = Hashes(sentinel);
        using var server = ServerProcess.Start("--scenes", scenes, "--max-sessions", "12", "--session-idle-timeout", "20");
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { MaxReceiveMessageSize = null });
        var client = new Simulator.SimulatorClient(channel);
        var fuzz = new RequestFuzzer(new Random(1212), sentinel, server.Id);
        var outcomes = new Dictionary<StatusCode, int>();
        for (var i = 0; i < 1000; i++)
        {
            var (name, call) = fuzz.Next(client);
            StatusCode code;
            try
            {
                var session = await call(DateTime.UtcNow.AddSeconds(30));
                if (session != null) fuzz.Opened(session);
                code = StatusCode.OK;
            }
            catch (RpcException e)
            {
                code = e.StatusCode;
                if (code == StatusCode.NotFound && e.Status.Detail.StartsWith("session '"))
                    fuzz.Gone(e.Status.Detail.Split('\'')[1]);
                Assert.True(Answers.Contains(code), $"request {i} ({name}): {code} {e.Status.Detail}\n{server.Output}");
                Assert.DoesNotContain("unexpected", e.Status.Detail, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("Exception", e.Status.Detail);
                Assert.DoesNotContain(Secret, e.Status.Detail);
            }
            outcomes[code] = outcomes.GetValueOrDefault(code) + 1;
            Assert.False(server.HasExited, $"request {i} ({name}) killed the server:\n{server.Output}");
        }
        log.WriteLine(string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}")));
        Assert.Equal("distdepth-embedded", (await client.GetInfoAsync(new GetInfoRequest())).Name);
        Assert.Equal(before, Hashes(sentinel));
        Assert.Empty(ShmRings(server.Id, Environment.ProcessId));
        Assert.True(outcomes.GetValueOrDefault(StatusCode.OK) > 100, "most requests never reached the simulator");
    }
}

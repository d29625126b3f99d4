using System.Security.Cryptography.X509Certificates;
using DistDepth.Dataset;
using DistDepth.Sim.V1;
using DistDepth.SimBridge;
using Grpc.Core;

namespace DistDepth.SimProtocol.Tests;

/// <summary>Issue 12 finding 10: `sim serve` beyond loopback only with a token and TLS, and simgen reaching
/// such a server with --server-token-file and --server-ca.</summary>
public sealed class ExposedServerTests
{
    static (int Exit, string Stderr) ServeAndWait(params string[] args)
    {
        using var p = DistDepthCli.Start(["sim", "serve", "--port", Loopback.FreePort().ToString(), .. args]);
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill();
            Assert.Fail($"sim serve {string.Join(' ', args)} started instead of refusing");
        }
        return (p.ExitCode, stderr.Result);
    }

    [Fact]
    public void ListeningBeyondLoopbackWithoutTokenAndTlsRefusesToStartInOneLine()
    {
        var credentials = ClusterCredentials.Create(TempFolder.New("refuse"));
        foreach (var args in new[] { new[] { "--host", "0.0.0.0" }, ["--host", "0.0.0.0", "--token-file", credentials.TokenFile],
                                     ["--host", "0.0.0.0", "--tls-cert", credentials.CertificateFile, "--tls-key", credentials.KeyFile] })
        {
            var (exit, stderr) = ServeAndWait(args);
            Assert.Equal(1, exit);
            var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains("--token-file", line);
            Assert.Contains("--tls-cert", line);
        }
        var (_, halfTls) = ServeAndWait("--tls-cert", credentials.CertificateFile);
        Assert.Contains("--tls-key", halfTls);
        File.WriteAllText(credentials.TokenFile, "short\n");
        var (_, weak) = ServeAndWait([.. credentials.ServeArguments]);
        Assert.Contains(credentials.TokenFile, weak);
    }

    [Fact]
    public async Task AnExposedServerAnswersOnlyOverTlsWithItsToken()
    {
        var credentials = ClusterCredentials.Create(TempFolder.New("exposed"));
        using var server = ServerProcess.Start(["--host", "0.0.0.0", .. credentials.ServeArguments]);
        var ca = DistDepth.SimServer.Service.ServerCredentials.ReadCa(credentials.CaFile);

        using (var good = await SimulatorConnection.ConnectAsync(server.Address, new SimulatorAccess(credentials.Token, ca), default))
        {
            Assert.Equal("distdepth-embedded", good.Info.Name);
            Assert.NotEmpty(await good.SessionForAsync("procedural:1", default));
        }
        foreach (var token in new[] { null, "wrong-token-0123456789", credentials.Token + "x" })
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => SimulatorConnection.ConnectAsync(server.Address, new SimulatorAccess(token, ca), default));
            Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        }
        // The right token to a server whose certificate the client cannot check, or in plaintext: no answer.
        await Assert.ThrowsAsync<RpcException>(() => SimulatorConnection.ConnectAsync(server.Address, new SimulatorAccess(credentials.Token), default));
        await Assert.ThrowsAsync<RpcException>(() => SimulatorConnection.ConnectAsync(new Uri($"http://127.0.0.1:{server.Port}"), new SimulatorAccess(credentials.Token), default));
        Assert.False(server.HasExited);
    }

    [Fact]
    public async Task SimgenGeneratesFromAnExposedServerWithTokenAndCa()
    {
        var credentials = ClusterCredentials.Create(TempFolder.New("simgen-tls"));
        using var server = ServerProcess.Start(["--host", "0.0.0.0", .. credentials.ServeArguments]);
        var dir = Path.Combine(TempFolder.New("simgen-tls-out"), "data");
        string[] plan = ["simgen", "--scenes", "procedural:1", "--sequences-per-scene", "1", "--frames", "3", "--width", "32", "--height", "32",
                         "--server", $"127.0.0.1:{server.Port}", "--out", dir];
        var refused = DistDepthCli.Run([.. plan, "--server-ca", credentials.CaFile]); // no token
        Assert.Equal(1, refused.Exit);
        Assert.Contains("Unauthenticated", refused.Stderr);
        var (exit, _, stderr) = DistDepthCli.Run([.. plan, "--server-ca", credentials.CaFile, "--server-token-file", credentials.TokenFile]);
        Assert.True(exit == 0, stderr);
        Assert.True((await DatasetVerifier.VerifyAsync(dir)).Ok);
    }
}

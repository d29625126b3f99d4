using System.Diagnostics;

namespace DistDepth.SimBridge.Tests;

/// <summary>`distdepth sim serve` in its own process, so a test can kill it like a crashed server.</summary>
internal sealed class ServerProcess : IDisposable
{
    readonly Process process;

    ServerProcess(Process process, int port)
    {
        this.process = process;
        Address = new Uri($"http://127.0.0.1:{port}");
    }

    public Uri Address { get; }

    public static ServerProcess Start()
    {
        int port = Loopback.FreePort();
        var process = DistDepthCli.Start("sim", "serve", "--port", port.ToString());
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Loopback.IsListening(port))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"sim serve did not start: {process.StandardError.ReadToEnd()}");
            Thread.Sleep(50);
        }
        return new ServerProcess(process, port);
    }

    public void Kill() => process.Kill(); // SIGKILL

    public void Dispose()
    {
        if (!process.HasExited) process.Kill();
        process.Dispose();
    }
}

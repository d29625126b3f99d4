using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace DistDepth.SimBridge.Tests;

internal static class Temp
{
    public static string Folder(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "distdepth-tests", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }
}

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
        int port = FreePort();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(AppContext.BaseDirectory, "distdepth.dll"), "sim", "serve", "--port", port.ToString() })
            info.ArgumentList.Add(a);
        var process = Process.Start(info)!;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!Listening(port))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"sim serve did not start: {process.StandardError.ReadToEnd()}");
            Thread.Sleep(50);
        }
        return new ServerProcess(process, port);
    }

    public void Kill() => process.Kill(); // SIGKILL

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    static bool Listening(int port)
    {
        try
        {
            using var c = new TcpClient();
            c.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (!process.HasExited) process.Kill();
        process.Dispose();
    }
}

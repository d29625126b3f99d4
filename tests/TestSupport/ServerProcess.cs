using System.Diagnostics;
using System.Text;

namespace DistDepth.TestSupport;

/// <summary>`distdepth sim serve` in its own process, so a test can kill it like a crashed server, see
/// whether a client killed it, and read its memory.</summary>
public sealed class ServerProcess : IDisposable
{
    readonly Process process;
    readonly StringBuilder output = new();

    ServerProcess(Process process, int port, bool tls)
    {
        this.process = process;
        Port = port;
        Address = new Uri($"{(tls ? "https" : "http")}://127.0.0.1:{port}");
    }

    public int Port { get; }
    public Uri Address { get; }
    public int Id => process.Id;
    public bool HasExited => process.HasExited;
    /// <summary>What the server printed so far (stdout and stderr), for failure messages.</summary>
    public string Output { get { lock (output) return output.ToString(); } }

    /// <summary>Peak resident memory so far (VmHWM in /proc/&lt;pid&gt;/status).</summary>
    public long PeakResidentBytes => 1024 * long.Parse(File.ReadLines($"/proc/{process.Id}/status")
        .First(l => l.StartsWith("VmHWM:")).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);

    /// <summary>Starts `sim serve --port &lt;free&gt; <paramref name="args"/>` and waits until it listens.</summary>
    public static ServerProcess Start(params string[] args)
    {
        int port = Loopback.FreePort();
        var server = new ServerProcess(DistDepthCli.Start(["sim", "serve", "--port", port.ToString(), .. args]), port, args.Contains("--tls-cert"));
        server.process.OutputDataReceived += (_, e) => server.Append(e.Data);
        server.process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        server.process.BeginOutputReadLine();
        server.process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!Loopback.IsListening(port))
        {
            if (server.process.HasExited || DateTime.UtcNow > deadline)
            {
                server.Dispose();
                throw new InvalidOperationException($"sim serve did not start: {server.Output}");
            }
            Thread.Sleep(50);
        }
        return server;
    }

    void Append(string? line)
    {
        if (line != null) lock (output) output.AppendLine(line);
    }

    public void Kill() => process.Kill(); // SIGKILL

    public void Dispose()
    {
        if (!process.HasExited) process.Kill();
        process.WaitForExit(10_000);
        process.Dispose();
    }
}

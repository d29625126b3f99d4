using System.Net;
using DistDepth.SimServer.Rendering;
using DistDepth.SimServer.Scenes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DistDepth.SimServer.Service;

/// <summary>
/// The simulator as an in-process Kestrel server speaking gRPC over cleartext HTTP/2 (h2c). Port 0
/// picks a free port; <see cref="Port"/> reports the one bound. Loopback by default: the server
/// reads files named by clients, so exposing it is a deliberate choice (--host).
/// </summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SimulatorHost(WebApplication app, int port, string host)
    {
        _app = app;
        Port = port;
        Address = new Uri($"http://{(host.Contains(':') ? $"[{host}]" : host)}:{port}");
    }

    public int Port { get; }
    public Uri Address { get; }

    public static async Task<SimulatorHost> StartAsync(string host = "127.0.0.1", int port = 0, string? sceneDirectory = null,
                                                       LogLevel logLevel = LogLevel.Warning, CancellationToken cancellationToken = default,
                                                       string? up = null, SceneShading shading = SceneShading.Ao)
    {
        var address = host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var parsed) ? parsed
            : throw new ArgumentException($"--host '{host}' is not an IP address (use 127.0.0.1, ::1, or 0.0.0.0 to listen everywhere)");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(logLevel);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(address, port, l => l.Protocols = HttpProtocols.Http2);
            // A stereo frame is megabytes; Kestrel's 64 KB default would stall each one dozens of times.
            k.Limits.MaxResponseBufferSize = 16 << 20;
        });
        builder.Services.AddGrpc(o =>
        {
            o.MaxSendMessageSize = null; // a 2048x2048 stereo frame is ~50 MB
            o.EnableDetailedErrors = false;
        });
        builder.Services.AddSingleton(new SceneCatalog(sceneDirectory, up, shading));
        // Sessions live in the service, so it must outlive a single call (gRPC services are per-call by default).
        builder.Services.AddSingleton<SimulatorService>();
        var app = builder.Build();
        app.MapGrpcService<SimulatorService>();
        await app.StartAsync(cancellationToken);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SimulatorHost(app, new Uri(bound.Replace("[::]", "localhost").Replace("0.0.0.0", "localhost")).Port, address.ToString());
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => ((IHost)_app).WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

using System.Net;
using System.Security.Cryptography.X509Certificates;
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

/// <summary>How and to whom a <see cref="SimulatorHost"/> listens, and what it may read.</summary>
/// <param name="Host">an IP address; loopback unless the server is meant for other machines</param>
/// <param name="Port">0 picks a free port</param>
/// <param name="SceneDirectory">the only folder whose mesh files clients may load (by relative name)</param>
/// <param name="NamedSceneFiles">further mesh paths loadable by exactly these ids: files the process's own
/// user named (simgen's command line), never a client</param>
/// <param name="Token">clients must send "authorization: Bearer &lt;token&gt;" (<see cref="TokenCheck"/>)</param>
/// <param name="Certificate">serve TLS with this certificate and its private key</param>
/// <param name="Up">the scenes' up axis, "y" or "z"; null for habitat's rules per file (<see cref="SceneConfig"/>)</param>
/// <param name="Shading">ambient occlusion baked per vertex, or flat (today's exact output, for depth checks)</param>
public sealed record SimulatorHostOptions(
    string Host = "127.0.0.1",
    int Port = 0,
    string? SceneDirectory = null,
    IReadOnlyCollection<string>? NamedSceneFiles = null,
    string? Token = null,
    X509Certificate2? Certificate = null,
    ServerLimits? Limits = null,
    LogLevel LogLevel = LogLevel.Warning,
    string? Up = null,
    SceneShading Shading = SceneShading.Lit);

/// <summary>
/// The simulator as an in-process Kestrel server speaking gRPC over HTTP/2: cleartext (h2c) on loopback,
/// TLS with a client token when it listens beyond (it renders for and reads files named by whoever can
/// connect). Port 0 picks a free port; <see cref="Port"/> reports the one bound.
/// </summary>
public sealed class SimulatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SimulatorHost(WebApplication app, int port, string host, bool tls)
    {
        _app = app;
        Port = port;
        Address = new Uri($"{(tls ? "https" : "http")}://{(host.Contains(':') ? $"[{host}]" : host)}:{port}");
    }

    public int Port { get; }
    public Uri Address { get; }

    /// <exception cref="ArgumentException">a bad address or limit, or a non-loopback address without both a token and TLS</exception>
    public static async Task<SimulatorHost> StartAsync(SimulatorHostOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SimulatorHostOptions();
        var limits = options.Limits ?? new ServerLimits();
        limits.Validate();
        var host = options.Host;
        var address = host == "localhost" ? IPAddress.Loopback
            : IPAddress.TryParse(host, out var parsed) ? parsed
            : throw new ArgumentException($"--host '{host}' is not an IP address (use 127.0.0.1, ::1, or 0.0.0.0 to listen everywhere)");
        if (!IPAddress.IsLoopback(address) && (options.Token == null || options.Certificate == null))
            throw new ArgumentException($"--host {host} is reachable from other machines: the server then needs --token-file and --tls-cert/--tls-key " +
                                        "(clients could otherwise render and read scenes unauthenticated, in plaintext)");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(options.LogLevel);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(address, options.Port, l =>
            {
                l.Protocols = HttpProtocols.Http2;
                if (options.Certificate != null) l.UseHttps(options.Certificate);
            });
            // A stereo frame is megabytes; Kestrel's 64 KB default would stall each one dozens of times.
            k.Limits.MaxResponseBufferSize = 16 << 20;
        });
        builder.Services.AddGrpc(o =>
        {
            o.MaxSendMessageSize = null; // a 2048x2048 stereo frame is ~50 MB
            o.EnableDetailedErrors = false;
            if (options.Token != null) o.Interceptors.Add<TokenCheck>(options.Token);
        });
        builder.Services.AddSingleton(new SceneCatalog(options.SceneDirectory, limits.SceneCacheSize, options.NamedSceneFiles, options.Up, options.Shading));
        builder.Services.AddSingleton(limits);
        builder.Services.AddSingleton(_ => new SessionRegistry(limits)); // made by the container, so disposed with the host (its timer)
        // Sessions live in the service, so it must outlive a single call (gRPC services are per-call by default).
        builder.Services.AddSingleton<SimulatorService>();
        var app = builder.Build();
        app.MapGrpcService<SimulatorService>();
        await app.StartAsync(cancellationToken);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SimulatorHost(app, new Uri(bound.Replace("[::]", "localhost").Replace("0.0.0.0", "localhost")).Port, address.ToString(),
            options.Certificate != null);
    }

    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => ((IHost)_app).WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

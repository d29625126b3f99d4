using System.Runtime.CompilerServices;
using DistDepth.Sim.V1;
using DistDepth.SimServer.Service;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;

namespace DistDepth.SimBridge;

/// <summary>
/// A client of one simulator server (embedded or habitat-sim: the protocol hides which), with
/// deadlines on every call and one session at a time, kept while the scene stays the same since
/// loading a mesh scene is slow. One session, because a habitat server has one habitat Simulator and
/// serves one session at a time (a second LoadScene there ends the first): the session is closed
/// before the next scene's is opened, and when the connection is disposed.
/// </summary>
public sealed class SimulatorConnection : IDisposable
{
    static readonly TimeSpan UnaryDeadline = TimeSpan.FromSeconds(60);
    static readonly TimeSpan CloseDeadline = TimeSpan.FromSeconds(5);
    readonly GrpcChannel channel;
    (string Scene, string Id)? session;

    SimulatorConnection(Uri address, GrpcChannel channel, Simulator.SimulatorClient client, ServerInfo info)
    {
        Address = address;
        this.channel = channel;
        Client = client;
        Info = info;
    }

    public Uri Address { get; }
    public ServerInfo Info { get; }
    public Simulator.SimulatorClient Client { get; }

    public static async Task<SimulatorConnection> ConnectAsync(Uri address, CancellationToken ct) => await ConnectAsync(address, null, ct);

    public static async Task<SimulatorConnection> ConnectAsync(Uri address, SimulatorAccess? access, CancellationToken ct)
    {
        // Frames are megabytes: a 64 KB HTTP/2 window would stall the stream on every window update.
        var handler = new SocketsHttpHandler { InitialHttp2StreamWindowSize = 16 << 20 };
        if (access != null) handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => access.Trusts(certificate, errors);
        var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { MaxReceiveMessageSize = null, HttpHandler = handler });
        try
        {
            CallInvoker invoker = channel.CreateCallInvoker();
            if (access?.Token is { } token)
                invoker = invoker.Intercept(metadata =>
                {
                    metadata.Add(TokenCheck.Header, $"Bearer {token}");
                    return metadata;
                });
            var client = new Simulator.SimulatorClient(invoker);
            var info = await client.GetInfoAsync(new GetInfoRequest(), deadline: Deadline(), cancellationToken: ct);
            return new SimulatorConnection(address, channel, client, info);
        }
        catch
        {
            channel.Dispose();
            throw;
        }
    }

    public static DateTime Deadline() => DateTime.UtcNow + UnaryDeadline;

    public async Task<string> SessionForAsync(string sceneId, CancellationToken ct)
    {
        if (session is { } open)
        {
            if (open.Scene == sceneId) return open.Id;
            session = null;
            await CloseAsync(open.Id);
        }
        var loaded = await Client.LoadSceneAsync(new LoadSceneRequest { SceneId = sceneId }, deadline: Deadline(), cancellationToken: ct);
        session = (sceneId, loaded.SessionId);
        return loaded.SessionId;
    }

    /// <summary>Best effort: a server that is gone has no session left to close, and one that keeps it
    /// closes it once idle.</summary>
    async Task CloseAsync(string id)
    {
        try
        {
            await Client.CloseSessionAsync(new CloseSessionRequest { SessionId = id }, deadline: DateTime.UtcNow + CloseDeadline);
        }
        catch (RpcException)
        {
        }
    }

    /// <summary>Streams a trajectory's frames. From a server on this machine the images come through a
    /// shared-memory ring (<see cref="FrameRing"/>), which costs a fraction of the CPU that megabytes
    /// through the socket do, and stay in place there until each frame is disposed; a server that declines
    /// the ring streams them inline. <paramref name="heldFrames"/>: how many frames the caller may hold at
    /// once, so the ring has room for the server to render ahead of them.</summary>
    public async IAsyncEnumerable<ReceivedFrame> RunTrajectoryAsync(RunTrajectoryRequest request, int width, int height, int heldFrames,
        DateTime deadline, [EnumeratorCancellation] CancellationToken ct)
    {
        using var ring = Address.IsLoopback ? TryCreateRing(width, height, heldFrames) : null;
        if (ring != null) request.SharedMemory = ring.Offer;
        using var call = Client.RunTrajectory(request, deadline: deadline, cancellationToken: ct);
        await foreach (var frame in call.ResponseStream.ReadAllAsync(ct))
        {
            if (frame.SharedMemory != null && ring == null)
                throw new RpcException(new Status(StatusCode.Internal, $"{Address} sent frame {frame.Index} through a shared-memory ring that was not offered"));
            yield return ring?.Receive(frame) ?? ReceivedFrame.Of(frame);
        }
    }

    static FrameRing.Reader? TryCreateRing(int width, int height, int heldFrames)
    {
        try
        {
            // Two slots beyond the held frames: one the server renders into, one on its way.
            return FrameRing.Reader.Create(FrameRing.SlotBytesFor(width, height), Math.Min(FrameRing.MaxSlots, heldFrames + 2));
        }
        catch (IOException)
        {
            return null; // no memfd here: the frames come inline
        }
    }

    /// <summary>Statuses a fresh session (here or on another server) may cure; the rest are the request's fault.</summary>
    public static bool IsTransient(RpcException e) => e.StatusCode is StatusCode.Unavailable or StatusCode.Internal
        or StatusCode.Unknown or StatusCode.DeadlineExceeded or StatusCode.Aborted or StatusCode.ResourceExhausted or StatusCode.Cancelled;

    /// <summary>Closes the open session, if the server still answers (best effort: it may be what failed).</summary>
    public void Dispose()
    {
        if (session is { } open) CloseAsync(open.Id).GetAwaiter().GetResult();
        session = null;
        channel.Dispose();
    }
}

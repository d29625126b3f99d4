using DistDepth.Sim.V1;
using DistDepth.SimServer.Service;
using Grpc.Net.Client;

namespace DistDepth.SimServer.Tests;

/// <summary>A real simulator server on a free loopback port, serving a scene folder of its own, and a
/// real gRPC client for it.</summary>
public sealed class SimulatorFixture : IAsyncLifetime
{
    private GrpcChannel? _channel;

    public SimulatorHost Host { get; private set; } = null!;
    public Simulator.SimulatorClient Client { get; private set; } = null!;
    /// <summary>The server's --scenes: tests write meshes here and load them by file name.</summary>
    public string SceneDirectory { get; } = TempFolder.New("scenes");

    public async Task InitializeAsync()
    {
        Host = await SimulatorHost.StartAsync(new SimulatorHostOptions(SceneDirectory: SceneDirectory));
        (_channel, Client) = Connect(Host);
    }

    public static (GrpcChannel Channel, Simulator.SimulatorClient Client) Connect(SimulatorHost host)
    {
        var channel = GrpcChannel.ForAddress(host.Address, new GrpcChannelOptions { MaxReceiveMessageSize = null });
        return (channel, new Simulator.SimulatorClient(channel));
    }

    public async Task DisposeAsync()
    {
        _channel?.Dispose();
        await Host.DisposeAsync();
    }

    /// <summary>Loads <paramref name="sceneId"/> and sets a small rig; returns the session id.</summary>
    public async Task<string> OpenAsync(string sceneId, int size = 64)
    {
        var session = (await Client.LoadSceneAsync(new LoadSceneRequest { SceneId = sceneId })).SessionId;
        await Client.ConfigureRigAsync(new ConfigureRigRequest { SessionId = session, Rig = new Sim.V1.StereoRig { Width = size, Height = size } });
        return session;
    }
}

using DistDepth.Sim.V1;

namespace DistDepth.SimProtocol.Tests;

/// <summary>habitat-only: scenes named by a scene dataset config, as HM3D/MP3D/Replica ship them.</summary>
public sealed class HabitatSceneTests(HabitatServer server) : IClassFixture<HabitatServer>
{
    [Fact]
    public async Task DatasetConfigScenesAreListedAndLoadByShortName()
    {
        var scenes = await server.Client.ListScenesAsync(new ListScenesRequest());
        Assert.Contains(scenes.Scenes, s => s.Kind == SceneKind.Habitat && s.Id == server.DatasetScene);
        var loaded = await server.Client.LoadSceneAsync(new LoadSceneRequest { SceneId = server.DatasetScene });
        Assert.Equal(SceneKind.Habitat, loaded.Scene.Kind);
        Assert.True(loaded.NavigableAreaM2 > 1);
    }
}

using DistDepth.SimServer.Scenes;

namespace DistDepth.SimServer.Service;

/// <summary>What one server holds at most, so no client (careless or hostile) can make it grow without
/// bound; the README's "Simulator server on a cluster network" states the memory these allow.</summary>
/// <param name="MaxSessions">open sessions; LoadScene beyond it is RESOURCE_EXHAUSTED</param>
/// <param name="IdleTimeout">a session with no call and no streamed frame for this long is closed</param>
/// <param name="SceneCacheSize">loaded scenes kept for later sessions (least recently used go first)</param>
/// <param name="StreamBufferBytes">rendered frames of one stream not yet handed to the transport
/// (at least one frame, however large)</param>
public sealed record ServerLimits(
    int MaxSessions = 32,
    TimeSpan? IdleTimeout = null,
    int SceneCacheSize = SceneCatalog.DefaultCacheSize,
    long StreamBufferBytes = 64L << 20)
{
    public TimeSpan Idle => IdleTimeout ?? TimeSpan.FromMinutes(10);

    public void Validate()
    {
        if (MaxSessions < 1) throw new ArgumentException($"--max-sessions {MaxSessions} must be at least 1");
        if (Idle <= TimeSpan.Zero) throw new ArgumentException($"--session-idle-timeout {Idle.TotalSeconds} s must be positive");
        if (SceneCacheSize < 0) throw new ArgumentException($"--scene-cache {SceneCacheSize} must be 0 or more");
        if (StreamBufferBytes < 0) throw new ArgumentException("--stream-buffer-mb must be 0 or more");
    }
}

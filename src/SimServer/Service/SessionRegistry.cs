using System.Collections.Concurrent;

namespace DistDepth.SimServer.Service;

/// <summary>The open sessions: at most <see cref="ServerLimits.MaxSessions"/>, and each closed once idle for
/// <see cref="ServerLimits.Idle"/>, so clients that leave without CloseSession (killed, careless) do not
/// pile up scenes and renderers; closing one also ends its running trajectory.</summary>
public sealed class SessionRegistry : IDisposable
{
    private readonly ConcurrentDictionary<string, SimSession> _sessions = new();
    private readonly ServerLimits _limits;
    private readonly Timer _sweeper;
    private int _count; // sessions open plus those being loaded

    public SessionRegistry(ServerLimits limits)
    {
        _limits = limits;
        var period = TimeSpan.FromTicks(Math.Clamp(limits.Idle.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks, TimeSpan.FromSeconds(30).Ticks));
        _sweeper = new Timer(_ => CloseIdle(), null, period, period);
    }

    public int Count => _sessions.Count;

    /// <summary>Holds a place for a session about to load; false when the server is full.</summary>
    public bool TryReserve()
    {
        if (Interlocked.Increment(ref _count) <= _limits.MaxSessions) return true;
        Interlocked.Decrement(ref _count);
        return false;
    }

    /// <summary>Gives back a place <see cref="TryReserve"/> held, when the load failed.</summary>
    public void Unreserve() => Interlocked.Decrement(ref _count);

    public void Add(SimSession session) => _sessions[session.Id] = session;

    /// <summary>The session, marked as used now; null when there is none (never opened, closed or expired).</summary>
    public SimSession? Find(string id)
    {
        if (!_sessions.TryGetValue(id, out var session)) return null;
        session.Touch();
        return session;
    }

    public bool Close(string id)
    {
        if (!_sessions.TryRemove(id, out var session)) return false;
        Interlocked.Decrement(ref _count);
        session.Close();
        return true;
    }

    private void CloseIdle()
    {
        var now = Environment.TickCount64;
        foreach (var session in _sessions.Values)
            if (now - session.LastUsed > (long)_limits.Idle.TotalMilliseconds) Close(session.Id);
    }

    public void Dispose()
    {
        _sweeper.Dispose();
        foreach (var id in _sessions.Keys) Close(id);
    }
}

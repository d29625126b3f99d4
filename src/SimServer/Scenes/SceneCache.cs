namespace DistDepth.SimServer.Scenes;

/// <summary>The most recently used loaded scenes, at most <paramref name="capacity"/> of them. A scene
/// evicted here lives on while a session still uses it; the next load of it builds it again.</summary>
internal sealed class SceneCache(int capacity)
{
    private readonly LinkedList<(string Key, LoadedScene Scene)> _order = new(); // most recent first
    private readonly Dictionary<string, LinkedListNode<(string Key, LoadedScene Scene)>> _byKey = new(StringComparer.Ordinal);

    public LoadedScene GetOrLoad(string key, Func<LoadedScene> load)
    {
        lock (_order)
            if (_byKey.TryGetValue(key, out var hit))
            {
                _order.Remove(hit);
                _order.AddFirst(hit);
                return hit.Value.Scene;
            }
        // Loading takes seconds for a big mesh: other scenes stay available meanwhile. Two concurrent
        // loads of one scene both build it; the first stored wins.
        var scene = load();
        lock (_order)
        {
            if (_byKey.TryGetValue(key, out var raced)) return raced.Value.Scene;
            if (capacity <= 0) return scene;
            _byKey[key] = _order.AddFirst((key, scene));
            while (_order.Count > capacity)
            {
                _byKey.Remove(_order.Last!.Value.Key);
                _order.RemoveLast();
            }
            return scene;
        }
    }
}

using DistDepth.SimServer.Scenes;

namespace DistDepth.SimBridge;

/// <summary>Turns `--scenes` arguments into scene ids: literal ids/paths, file globs, or procedural:N
/// (procedural-v1:N for the generator's first rooms, kept so older datasets can be remade).</summary>
public static class SceneList
{
    static readonly string[] ProceduralFamilies = [SceneCatalog.ProceduralPrefix, SceneCatalog.FirstProceduralPrefix];

    public static IReadOnlyList<string> Expand(IEnumerable<string> arguments)
    {
        var scenes = new List<string>();
        foreach (var item in arguments.SelectMany(a => a.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (ProceduralFamilies.FirstOrDefault(item.StartsWith) is { } family && int.TryParse(item[family.Length..], out int n))
            {
                if (n < 1) throw new ArgumentException($"--scenes {item}: the count must be at least 1");
                scenes.AddRange(Enumerable.Range(0, n).Select(i => $"{family}{i}"));
            }
            else if (item.Contains('*') || item.Contains('?'))
            {
                var matches = Glob(item).Order(StringComparer.Ordinal).ToList();
                if (matches.Count == 0) throw new ArgumentException($"--scenes {item}: no file matches");
                scenes.AddRange(matches);
            }
            else scenes.Add(item);
        }
        if (scenes.Count == 0) throw new ArgumentException("--scenes is empty");
        if (scenes.Distinct().Count() != scenes.Count) throw new ArgumentException("--scenes names a scene twice");
        return scenes;
    }

    // Wildcards may stand in any path segment ('/data/hm3d/train/*/*.basis.glb'), as a shell expands them.
    static IEnumerable<string> Glob(string pattern)
    {
        var segments = pattern.Split('/');
        IEnumerable<string> paths = [pattern.StartsWith('/') ? "/" : "."];
        for (int i = pattern.StartsWith('/') ? 1 : 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            bool last = i == segments.Length - 1;
            paths = paths.SelectMany(dir =>
                !Directory.Exists(dir) ? []
                : segment.Contains('*') || segment.Contains('?')
                    ? (last ? Directory.GetFiles(dir, segment) : Directory.GetDirectories(dir, segment))
                    : [Path.Combine(dir, segment)]).ToList();
        }
        return paths.Where(File.Exists).Select(p => p.StartsWith("./") ? p[2..] : p);
    }
}

namespace DistDepth.SimBridge;

/// <summary>Turns `--scenes` arguments into scene ids: literal ids/paths, file globs, or procedural:N.</summary>
public static class SceneList
{
    public static IReadOnlyList<string> Expand(IEnumerable<string> arguments)
    {
        var scenes = new List<string>();
        foreach (var item in arguments.SelectMany(a => a.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (item.StartsWith("procedural:") && int.TryParse(item["procedural:".Length..], out int n))
            {
                if (n < 1) throw new ArgumentException($"--scenes {item}: the count must be at least 1");
                scenes.AddRange(Enumerable.Range(0, n).Select(i => $"procedural:{i}"));
            }
            else if (item.Contains('*') || item.Contains('?'))
            {
                var dir = Path.GetDirectoryName(item) is { Length: > 0 } d ? d : ".";
                var matches = Directory.Exists(dir) ? Directory.GetFiles(dir, Path.GetFileName(item)).Order().ToList() : [];
                if (matches.Count == 0) throw new ArgumentException($"--scenes {item}: no file matches");
                scenes.AddRange(matches);
            }
            else scenes.Add(item);
        }
        if (scenes.Count == 0) throw new ArgumentException("--scenes is empty");
        if (scenes.Distinct().Count() != scenes.Count) throw new ArgumentException("--scenes names a scene twice");
        return scenes;
    }
}

using System.Globalization;

namespace DistDepth.Capture;

/// <summary>
/// The INI dialect of ZED factory calibration files: <c>[SECTION]</c> and <c>key=value</c> lines, names
/// case-insensitive, <c>;</c>/<c>#</c> comments. Every problem names the file, line, section and key.
/// </summary>
internal sealed class ConfFile
{
    readonly Dictionary<string, Dictionary<string, (string Value, int Line)>> sections = new(StringComparer.OrdinalIgnoreCase);

    public string Path { get; }

    ConfFile(string path) => Path = path;

    public static ConfFile Parse(string text, string path)
    {
        var file = new ConfFile(path);
        Dictionary<string, (string, int)>? current = null;
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] is ';' or '#') continue;
            if (line[0] == '[' && line[^1] == ']')
            {
                var name = line[1..^1].Trim();
                if (!file.sections.TryGetValue(name, out current))
                    file.sections[name] = current = new(StringComparer.OrdinalIgnoreCase);
                continue;
            }
            int eq = line.IndexOf('=');
            if (eq <= 0 || current is null)
                throw new InvalidDataException($"{path} line {i + 1}: cannot read '{line}' (expected [SECTION] or key=value inside a section)");
            current[line[..eq].Trim()] = (line[(eq + 1)..].Trim(), i + 1);
        }
        return file;
    }

    public bool HasSection(string section) => sections.ContainsKey(section);

    public IEnumerable<string> SectionNames => sections.Keys;

    public double Number(string section, string key) =>
        TryNumber(section, key) ?? throw new InvalidDataException(
            HasSection(section) ? $"{Path}: [{section}] has no {key}" : $"{Path}: missing section [{section}]");

    public double? TryNumber(string section, string key)
    {
        if (!sections.TryGetValue(section, out var keys) || !keys.TryGetValue(key, out var entry)) return null;
        if (double.TryParse(entry.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
            return value;
        throw new InvalidDataException($"{Path} line {entry.Line}: [{section}] {key} = '{entry.Value}' is not a number");
    }
}

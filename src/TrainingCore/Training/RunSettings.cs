using System.Text.Json;
using System.Text.Json.Serialization;
using DistDepth.Dataset;

namespace DistDepth.TrainingCore.Training;

/// <summary>
/// Everything that defines a run, saved as run.json in the run folder: a resumed run reads it back
/// instead of trusting the command line, so it cannot silently continue with other settings.
/// </summary>
/// <param name="MaxSteps">Stop after this many steps even if the epochs are not done.</param>
/// <param name="ExcludeScenes">Scenes kept out of training (held out for evaluation).</param>
public sealed record RunSettings(
    string Data, TrainingOptions Options, int Seed = 0, long? MaxSteps = null,
    int CheckpointEvery = 500, int PreviewEvery = 500, IReadOnlyList<string>? ExcludeScenes = null)
{
    public const string FileName = "run.json";

    static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    public void Save(string runDirectory) => AtomicFile.WriteAllText(Path.Combine(runDirectory, FileName), JsonSerializer.Serialize(this, Json));

    public static RunSettings Load(string runDirectory)
    {
        var path = Path.Combine(runDirectory, FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: not found; is {runDirectory} a training run folder?");
        try
        {
            return JsonSerializer.Deserialize<RunSettings>(File.ReadAllText(path), Json) ?? throw new JsonException("empty");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not valid run settings ({e.Message})");
        }
    }
}

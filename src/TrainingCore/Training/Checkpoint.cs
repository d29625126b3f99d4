using DistDepth.Dataset;

namespace DistDepth.TrainingCore.Training;

/// <summary>
/// checkpoint.bin in the run folder: the step counter, both networks and the optimiser state. The
/// loader and torch draw their random numbers from (seed, step), so this is all an exact resume
/// needs. Written to a temp file and renamed, so a kill leaves the previous checkpoint intact.
/// </summary>
public static class Checkpoint
{
    public const string FileName = "checkpoint.bin";
    const string Magic = "distdepth-checkpoint-1";

    public static string PathIn(string runDirectory) => Path.Combine(runDirectory, FileName);

    public static void Save(string runDirectory, DistDepthTrainer trainer, long step) =>
        AtomicFile.Write(PathIn(runDirectory), temp =>
        {
            using var writer = new BinaryWriter(File.Create(temp));
            writer.Write(Magic);
            writer.Write(step);
            trainer.Save(writer);
        });

    /// <returns>The number of steps the checkpoint had completed.</returns>
    public static long Load(string runDirectory, DistDepthTrainer trainer)
    {
        using var reader = Open(runDirectory, out long step);
        trainer.Load(reader);
        return step;
    }

    /// <summary>Positions the reader at the depth network's weights (they come first).</summary>
    public static BinaryReader Open(string runDirectory, out long step)
    {
        var path = PathIn(runDirectory);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no checkpoint; train first (distdepth train --out {runDirectory})");
        var reader = new BinaryReader(File.OpenRead(path));
        try
        {
            if (reader.ReadString() != Magic) throw new InvalidDataException($"{path}: not a DistDepth checkpoint");
            step = reader.ReadInt64();
            return reader;
        }
        catch (EndOfStreamException)
        {
            reader.Dispose();
            throw new InvalidDataException($"{path}: truncated checkpoint");
        }
    }
}

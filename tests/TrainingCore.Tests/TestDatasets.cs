using DistDepth.Dataset;
using DistDepth.TrainingCore.Expert;

namespace DistDepth.TrainingCore.Tests;

/// <summary>Small datasets of analytic stereo rooms (SyntheticRoom), with the sim-oracle expert column.</summary>
static class TestDatasets
{
    public static string Folder(string name) => TestSupport.TempFolder.New(name);

    /// <param name="edit">Changes a frame of sequence i before it is written (drop a column, break a value).</param>
    public static async Task<string> WriteAsync(string name, int sequences = 2, int frames = 6, int size = 64, bool expert = true,
        Func<int, StereoFrame, StereoFrame>? edit = null)
    {
        var dir = Folder(name);
        await using (var writer = DatasetWriter.Open(dir))
            for (int s = 0; s < sequences; s++)
            {
                var sequence = writer.BeginSequence($"room{s:D2}", $"room{s:D2}-seq00");
                foreach (var frame in new SyntheticRoom(s, size, size).Sequence(0, frames))
                    sequence.Append(edit?.Invoke(s, frame) ?? frame);
                await sequence.CompleteAsync();
            }
        if (expert) await new ExpertStage(new SimOracleExpert()).RunAsync(dir);
        return dir;
    }
}

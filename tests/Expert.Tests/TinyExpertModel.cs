using System.Diagnostics;
using DistDepth.Dataset;

namespace DistDepth.Expert.Tests;

/// <summary>tiny_expert.py: exports the tiny ONNX models once, and computes expected maps in PyTorch.</summary>
internal static class TinyExpertModel
{
    // Debian's interpreter sees python3-torch; a pyenv `python3` first on PATH does not.
    const string Python = "/usr/bin/python3";
    static readonly Lazy<string> Folder = new(() =>
    {
        var dir = TempFolder.New("tiny-expert");
        RunScript("export", dir);
        return dir;
    });

    public static string Dynamic => Path.Combine(Folder.Value, "dynamic.onnx");
    public static string Fixed64 => Path.Combine(Folder.Value, "fixed64.onnx");

    /// <summary>The expert map PyTorch computes for each frame's left image, at the frame's size.</summary>
    public static float[][] Reference(IReadOnlyList<StereoFrame> frames, int inputSize, float[] mean, float[] std)
    {
        var dir = TempFolder.New("reference");
        var files = frames.Select((f, i) =>
        {
            var path = Path.Combine(dir, $"{i}.rgb");
            File.WriteAllBytes(path, ImageCodec.DecodeRgb(f.Left).Pixels);
            return path;
        }).ToList();
        RunScript(["reference", inputSize.ToString(), .. mean.Concat(std).Select(v => v.ToString("R")),
            frames[0].Width.ToString(), frames[0].Height.ToString(), .. files]);
        return files.Select(f => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(f + ".out")).ToArray()).ToArray();
    }

    static void RunScript(params string[] args)
    {
        var info = new ProcessStartInfo(Python) { RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "tiny_expert.py"));
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"tiny_expert.py {args[0]} failed: {stderr.Result}");
    }
}

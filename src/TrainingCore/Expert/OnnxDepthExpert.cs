using System.Security.Cryptography;
using System.Text.Json.Nodes;
using DistDepth.Dataset;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using OpenCvSharp;

namespace DistDepth.TrainingCore.Expert;

/// <summary>
/// A user-supplied relative-depth ONNX model (DPT, MiDaS, Depth Anything) run with ONNX Runtime on the
/// CPU. Input and output names come from the model; a fixed input shape must match the preset's.
/// </summary>
public sealed class OnnxDepthExpert : DepthExpert
{
    readonly InferenceSession session;
    readonly ExpertPreset preset;
    readonly string inputName, outputName;

    OnnxDepthExpert(InferenceSession session, ExpertPreset preset, string inputName, string outputName, JsonObject label)
    {
        this.session = session;
        this.preset = preset;
        this.inputName = inputName;
        this.outputName = outputName;
        Label = label;
    }

    public override JsonObject Label { get; }

    public static OnnxDepthExpert Load(string modelPath, ExpertPreset preset)
    {
        preset.Validate();
        if (!File.Exists(modelPath)) throw new FileNotFoundException($"{modelPath}: model file not found");
        // Frames run in parallel, one per core; a single intra-op thread each avoids oversubscribing them.
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        InferenceSession session;
        try
        {
            session = new InferenceSession(modelPath, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{modelPath}: not an ONNX model ONNX Runtime can load ({e.Message.Trim()})");
        }
        try
        {
            var (input, output) = CheckSignature(modelPath, session, preset);
            return new OnnxDepthExpert(session, preset, input, output, LabelFor(modelPath, preset));
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    static (string Input, string Output) CheckSignature(string modelPath, InferenceSession session, ExpertPreset preset)
    {
        if (session.InputMetadata.Count != 1)
            throw new InvalidDataException($"{modelPath}: expected one image input, the model has {session.InputMetadata.Count} ({string.Join(", ", session.InputMetadata.Keys)})");
        var (inputName, input) = session.InputMetadata.Single();
        int[] expected = [1, 3, preset.InputSize, preset.InputSize];
        var given = input.Dimensions;
        // -1 marks a dynamic dimension, which takes whatever is fed.
        if (given.Length != 4 || given.Where((d, i) => d >= 0 && d != expected[i]).Any())
            throw new InvalidDataException($"{modelPath}: input '{inputName}' has shape {Shape(given)}, expected {Shape(expected)} " +
                                           $"(preset {preset.Name}, --input-size {preset.InputSize})");
        if (input.ElementDataType != TensorElementType.Float)
            throw new InvalidDataException($"{modelPath}: input '{inputName}' is {input.ElementDataType}, expected float32");
        var (outputName, output) = session.OutputMetadata.First();
        if (output.ElementDataType != TensorElementType.Float)
            throw new InvalidDataException($"{modelPath}: output '{outputName}' is {output.ElementDataType}, expected float32");
        return (inputName, outputName);
    }

    static string Shape(IEnumerable<int> dims) => $"[{string.Join(",", dims.Select(d => d < 0 ? "?" : d.ToString()))}]";

    static JsonObject LabelFor(string modelPath, ExpertPreset preset)
    {
        using var model = File.OpenRead(modelPath);
        return new JsonObject
        {
            ["kind"] = "onnx",
            ["model"] = Path.GetFileName(modelPath),
            ["model_sha256"] = Convert.ToHexStringLower(SHA256.HashData(model)),
            ["preset"] = preset.Name,
            ["input_size"] = preset.InputSize,
            ["mean"] = new JsonArray([.. preset.Mean.Select(v => JsonValue.Create(v))]),
            ["std"] = new JsonArray([.. preset.Std.Select(v => JsonValue.Create(v))]),
            ["output"] = preset.Output == ExpertOutputKind.Depth ? "depth" : "inverse_depth",
        };
    }

    public override float[] Predict(StereoFrame frame)
    {
        int size = preset.InputSize;
        using var input = OrtValue.CreateTensorValueFromMemory(Normalised(frame, size), [1, 3, size, size]);
        using var run = new RunOptions();
        using var outputs = session.Run(run, [inputName], [input], [outputName]);
        var shape = outputs[0].GetTensorTypeAndShape().Shape;
        if (shape.Length < 2 || shape[..^2].Aggregate(1L, (a, b) => a * b) != 1)
            throw new InvalidDataException($"output '{outputName}' has shape [{string.Join(",", shape)}], expected one map ([1,H,W] or [1,1,H,W])");
        int h = (int)shape[^2], w = (int)shape[^1];
        var map = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        for (int i = 0; i < map.Length; i++)
            map[i] = preset.Output == ExpertOutputKind.Depth ? (map[i] > 0 ? 1 / map[i] : 0) : MathF.Max(map[i], 0);
        using var raw = Mat.FromPixelData(h, w, MatType.CV_32FC1, map);
        using var resized = Resize(raw, frame.Width, frame.Height);
        resized.GetArray(out float[] values);
        return values;
    }

    // Resampled in float, so the only rounding is the final 16-bit quantisation.
    float[] Normalised(StereoFrame frame, int size)
    {
        var rgb = ImageCodec.DecodeRgb(frame.Left);
        using var bytes = Mat.FromPixelData(rgb.Height, rgb.Width, MatType.CV_8UC3, rgb.Pixels);
        using var unit = new Mat();
        bytes.ConvertTo(unit, MatType.CV_32FC3, 1 / 255.0);
        using var resized = Resize(unit, size, size);
        resized.GetArray(out Vec3f[] pixels);
        var chw = new float[3 * size * size];
        int plane = size * size;
        for (int i = 0; i < plane; i++)
            for (int c = 0; c < 3; c++)
                chw[c * plane + i] = (pixels[i][c] - preset.Mean[c]) / preset.Std[c];
        return chw;
    }

    // Area averaging when shrinking (no aliasing), bilinear when enlarging.
    static Mat Resize(Mat source, int width, int height)
    {
        var result = new Mat();
        var mode = width <= source.Cols && height <= source.Rows ? InterpolationFlags.Area : InterpolationFlags.Linear;
        Cv2.Resize(source, result, new Size(width, height), interpolation: mode);
        return result;
    }

    public override void Dispose()
    {
        session.Dispose();
        base.Dispose();
    }
}

using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Networks;

/// <summary>
/// The ImageNet-trained ResNet-18 of ML.NET's DnnImageFeaturizer package (NuGet
/// Microsoft.ML.DnnImageFeaturizer.ResNet18 0.23.1: tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx,
/// a CNTK 2.6 export, opset 8), rebuilt layer for layer so its weights train in TorchSharp:
/// 7x7/2 stem padded (3, 2), 3x3/2 max-pool padded (1, 0), stages of 2, 2, 2 and 3 basic blocks
/// (the last stage has three), 1x1/2 projection shortcuts, stride-2 3x3 convs padded only at top
/// and left, BatchNormalization (eps 1e-5) after every conv. Its input is what
/// ResNetPrepOnnx/ResNetPreprocess.onnx makes of 0-255 RGB: channels reversed to BGR minus a
/// 224x224 mean image; the encoder does that itself (the mean image resized by area to other sizes),
/// so callers feed [0, 1] RGB like every other encoder here. Features come out at strides 2 (stem),
/// 4, 8, 16 and 32 (the stages); the ONNX model's own output is their last map average-pooled.
/// </summary>
public sealed class ImageNetResnet18Encoder : FeatureEncoder
{
    const int MeanImageSize = 224;
    static readonly int[] BlocksPerStage = [2, 2, 2, 3];
    static readonly long[] StageChannels = [64, 128, 256, 512];

    /// <summary>Where the package's props put the models: beside the program, under DnnImageModels/.</summary>
    public static string BundledModel => Path.Combine(AppContext.BaseDirectory, "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx");

    /// <summary>The preprocessing model beside <paramref name="resnetModel"/> (the package's layout).</summary>
    public static string PreprocessModelFor(string resnetModel) =>
        Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(resnetModel)))!, "ResNetPrepOnnx", "ResNetPreprocess.onnx");

    readonly int frames;
    readonly Conv2d stem;
    readonly BatchNorm2d stemNorm;
    readonly ModuleList<Sequential> stages = new();
    readonly Tensor meanImage;

    public override long[] Channels => [64, .. StageChannels];

    /// <param name="inputFrames">Frames stacked on the channel axis (1 for depth, 2 for pose).</param>
    /// <param name="onnxModel">ResNet18.onnx to import (with ResNetPreprocess.onnx two folders up); null leaves random weights for a checkpoint to fill.</param>
    public ImageNetResnet18Encoder(int inputFrames = 1, string? onnxModel = null) : base(nameof(ImageNetResnet18Encoder))
    {
        frames = inputFrames;
        stem = nn.Conv2d(3 * inputFrames, 64, 7, stride: 2, bias: false);
        stemNorm = nn.BatchNorm2d(64);
        long inChannels = 64;
        for (int s = 0; s < BlocksPerStage.Length; s++)
        {
            var blocks = nn.Sequential();
            for (int b = 0; b < BlocksPerStage[s]; b++)
            {
                blocks.append($"{b}", new BasicBlock(inChannels, StageChannels[s], stride: s > 0 && b == 0 ? 2 : 1));
                inChannels = StageChannels[s];
            }
            stages.Add(blocks);
        }
        meanImage = zeros(1, 3, MeanImageSize, MeanImageSize);
        RegisterComponents();
        if (onnxModel is not null) Import(onnxModel);
    }

    public override Tensor[] forward(Tensor image)
    {
        long b = image.shape[0], h = image.shape[2], w = image.shape[3];
        Tensor mean;
        using (no_grad())
            mean = h == MeanImageSize && w == MeanImageSize ? meanImage
                : nn.functional.interpolate(meanImage, [h, w], mode: InterpolationMode.Area);
        var bgr = (image * 255).view(b, frames, 3, h, w).flip(2) - mean.unsqueeze(1);
        var input = bgr.view(b, 3 * frames, h, w);
        // The CNTK graph pads 3 before and 2 after (7x7/2), and the max-pool 1 before, 0 after (its
        // input is post-ReLU, so zero padding is the same as -inf there).
        var f0 = stemNorm.forward(stem.forward(nn.functional.pad(training ? input : ChannelsLast(input), [3, 2, 3, 2]))).relu_();
        var x = nn.functional.max_pool2d(nn.functional.pad(f0, [1, 0, 1, 0]), 3, 2);
        var features = new Tensor[5];
        features[0] = f0;
        for (int s = 0; s < stages.Count; s++) features[s + 1] = x = stages[s].forward(x);
        return features;
    }

    /// <summary>The ONNX model's output: the last feature map average-pooled, [B, 512].</summary>
    public Tensor Pooled(Tensor image) => forward(image)[4].mean([2, 3]);

    void Import(string onnxModel)
    {
        var preprocess = PreprocessModelFor(onnxModel);
        try
        {
            var graph = OnnxGraph.Load(onnxModel);
            using var _ = no_grad();
            var input = graph.Nodes[0].Inputs[0];
            var stemConv = graph.Nodes.FirstOrDefault(n => n.OpType == "Conv" && n.Inputs[0] == input)
                           ?? throw new InvalidDataException($"no Conv reads the graph input '{input}'");
            CopyConv(graph, stemConv, stem, stride: 2, pads: [3, 3, 2, 2], stackFrames: frames);
            CopyNorm(graph, Consumer(graph, stemConv), stemNorm);
            var adds = graph.Nodes.Where(n => n.OpType == "Add").ToList();
            var blocks = stages.SelectMany(s => s.children().Cast<BasicBlock>()).ToList();
            if (adds.Count != blocks.Count) throw new InvalidDataException($"{adds.Count} residual additions, a ResNet-18 of stages 2-2-2-3 has {blocks.Count}");
            for (int i = 0; i < blocks.Count; i++) blocks[i].Import(graph, adds[i]);
            if (graph.Nodes.FirstOrDefault(n => n.OpType == "MaxPool") is not { } pool || !pool.IntAttributes["pads"].SequenceEqual([1L, 1, 0, 0]))
                throw new InvalidDataException("the max-pool is not padded (1, 1, 0, 0)");
        }
        catch (Exception e) when (e is InvalidDataException or KeyNotFoundException)
        {
            throw new InvalidDataException($"{onnxModel}: not the DnnImageFeaturizer ResNet-18 this encoder mirrors ({e.Message})");
        }
        try
        {
            var prep = OnnxGraph.Load(preprocess);
            var split = prep.Nodes.Single(n => n.OpType == "Split");
            var concat = prep.Nodes.Single(n => n.OpType == "Concat");
            var sub = prep.Nodes.Single(n => n.OpType == "Sub");
            if (!concat.Inputs.SequenceEqual(split.Outputs.Reverse()))
                throw new InvalidDataException("the channel reorder is not RGB -> BGR");
            var mean = prep.Initializer(sub.Inputs[1]);
            if (!mean.Dims.SequenceEqual([1L, 3, MeanImageSize, MeanImageSize])) throw new InvalidDataException($"mean image [{string.Join(",", mean.Dims)}]");
            using var _ = no_grad();
            meanImage.copy_(tensor(mean.Values).view(1, 3, MeanImageSize, MeanImageSize));
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException)
        {
            throw new InvalidDataException($"{preprocess}: not the DnnImageFeaturizer preprocessing (split, BGR concat, mean image) ({e.Message})");
        }
    }

    static OnnxNode Consumer(OnnxGraph graph, OnnxNode node) =>
        graph.Nodes.FirstOrDefault(n => n.Inputs.Contains(node.Outputs[0])) ?? throw new InvalidDataException($"nothing reads {node.Name}'s output");

    static OnnxNode ProducerOf(OnnxGraph graph, string tensor, string op) =>
        graph.Producer(tensor) is { } p && p.OpType == op ? p : throw new InvalidDataException($"'{tensor}' is not made by a {op}");

    static void CopyConv(OnnxGraph graph, OnnxNode conv, Conv2d target, long stride, long[] pads, int stackFrames = 1)
    {
        if (!conv.IntAttributes["strides"].All(s => s == stride) || !conv.IntAttributes["pads"].SequenceEqual(pads))
            throw new InvalidDataException($"{conv.Name}: strides [{string.Join(",", conv.IntAttributes["strides"])}] pads [{string.Join(",", conv.IntAttributes["pads"])}], " +
                                           $"expected stride {stride} pads [{string.Join(",", pads)}]");
        var w = graph.Initializer(conv.Inputs[1]);
        var weight = tensor(w.Values).view(w.Dims);
        // Several stacked frames share the RGB filters, divided by the frame count (monodepth2's multi-image stem).
        if (stackFrames > 1) weight = cat(Enumerable.Repeat(weight, stackFrames).ToArray(), 1) / stackFrames;
        if (!weight.shape.SequenceEqual(target.weight!.shape))
            throw new InvalidDataException($"{conv.Name}: weight [{string.Join(",", weight.shape)}], expected [{string.Join(",", target.weight.shape)}]");
        target.weight.copy_(weight);
    }

    static void CopyNorm(OnnxGraph graph, OnnxNode norm, BatchNorm2d target)
    {
        if (norm.OpType != "BatchNormalization") throw new InvalidDataException($"{norm.Name} is a {norm.OpType}, expected BatchNormalization");
        Tensor[] targets = [target.weight!, target.bias!, target.running_mean!, target.running_var!];
        for (int k = 0; k < 4; k++)
        {
            var source = graph.Initializer(norm.Inputs[k + 1]);
            if (source.Values.Length != targets[k].numel()) throw new InvalidDataException($"{norm.Name}: input {k + 1} has {source.Values.Length} values");
            targets[k].copy_(tensor(source.Values));
        }
    }

    /// <summary>conv3x3(stride) - BN - ReLU - conv3x3 - BN, plus the input or its 1x1 projection, then ReLU.</summary>
    sealed class BasicBlock : nn.Module<Tensor, Tensor>
    {
        readonly long stride;
        readonly Conv2d conv1, conv2;
        readonly BatchNorm2d bn1, bn2;
        readonly Conv2d? projection;
        readonly BatchNorm2d? projectionNorm;

        public BasicBlock(long inChannels, long outChannels, long stride) : base(nameof(BasicBlock))
        {
            this.stride = stride;
            conv1 = nn.Conv2d(inChannels, outChannels, 3, stride: stride, padding: stride == 1 ? 1 : 0, bias: false);
            bn1 = nn.BatchNorm2d(outChannels);
            conv2 = nn.Conv2d(outChannels, outChannels, 3, padding: 1, bias: false);
            bn2 = nn.BatchNorm2d(outChannels);
            if (stride != 1 || inChannels != outChannels)
            {
                projection = nn.Conv2d(inChannels, outChannels, 1, stride: stride, bias: false);
                projectionNorm = nn.BatchNorm2d(outChannels);
            }
            RegisterComponents();
        }

        public override Tensor forward(Tensor x)
        {
            // CNTK's stride-2 3x3 convs pad one row and column before, none after.
            var y = bn1.forward(conv1.forward(stride == 1 ? x : nn.functional.pad(x, [1, 0, 1, 0]))).relu_();
            y = bn2.forward(conv2.forward(y));
            var shortcut = projection is null ? x : projectionNorm!.forward(projection.forward(x));
            return (y + shortcut).relu_();
        }

        /// <summary>Finds this block's convs around the residual <paramref name="add"/>: the 1x1 one is the projection.</summary>
        public void Import(OnnxGraph graph, OnnxNode add)
        {
            OnnxNode? second = null, secondNorm = null, shortcut = null, shortcutNorm = null;
            foreach (var input in add.Inputs)
            {
                if (graph.Producer(input) is not { OpType: "BatchNormalization" } norm) continue;
                var conv = ProducerOf(graph, norm.Inputs[0], "Conv");
                if (conv.IntAttributes["kernel_shape"].SequenceEqual([1L, 1])) (shortcut, shortcutNorm) = (conv, norm);
                else (second, secondNorm) = (conv, norm);
            }
            if (second is null) throw new InvalidDataException($"{add.Name}: no 3x3 conv branch");
            if ((shortcut is null) != (projection is null))
                throw new InvalidDataException($"{add.Name}: {(shortcut is null ? "no" : "a")} projection shortcut where the block has {(projection is null ? "none" : "one")}");
            var firstNorm = ProducerOf(graph, ProducerOf(graph, second.Inputs[0], "Relu").Inputs[0], "BatchNormalization");
            var first = ProducerOf(graph, firstNorm.Inputs[0], "Conv");
            CopyConv(graph, first, conv1, stride, stride == 1 ? [1, 1, 1, 1] : [1, 1, 0, 0]);
            CopyNorm(graph, firstNorm, bn1);
            CopyConv(graph, second, conv2, 1, [1, 1, 1, 1]);
            CopyNorm(graph, secondNorm!, bn2);
            if (shortcut is not null)
            {
                CopyConv(graph, shortcut, projection!, stride, [0, 0, 0, 0]);
                CopyNorm(graph, shortcutNorm!, projectionNorm!);
            }
        }
    }
}

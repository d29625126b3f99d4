using System.Collections;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace DistDepth.TrainingCore.Networks;

/// <summary>
/// Loads a PyTorch `state_dict` file (torch.save's zip format, read by TorchSharp.PyBridge) into a
/// TorchSharp module whose parameter names are PyTorch's (TorchSharp's torchvision models keep them).
/// Every name and shape is checked first, so a ResNet-50 file given for a ResNet-18 is one clear error.
/// </summary>
public static class TorchvisionStateDict
{
    public static void LoadInto(nn.Module module, string path, string what)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: not found (--encoder-weights takes imagenet, none or a torchvision state dict .pth)");
        Hashtable saved;
        try
        {
            saved = PyTorchUnpickler.UnpickleStateDict(path);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{path}: not a PyTorch state dict saved with torch.save ({e.GetType().Name}: {e.Message})");
        }
        using var _ = no_grad();
        var target = module.state_dict();
        var missing = target.Keys.Where(k => !saved.ContainsKey(k)).ToList();
        var unexpected = saved.Keys.Cast<string>().Where(k => !target.ContainsKey(k)).ToList();
        if (missing.Count > 0 || unexpected.Count > 0)
            throw new InvalidDataException($"{path}: not a torchvision {what} state dict (missing {missing.Count} keys, e.g. " +
                                           $"{string.Join(", ", missing.Take(3))}; unexpected {unexpected.Count}, e.g. {string.Join(", ", unexpected.Take(3))})");
        foreach (var (key, tensor) in target)
        {
            using var value = (Tensor)saved[key]!;
            if (!value.shape.SequenceEqual(tensor.shape))
                throw new InvalidDataException($"{path}: '{key}' has shape [{string.Join(",", value.shape)}], {what} needs [{string.Join(",", tensor.shape)}]");
            tensor.copy_(value);
        }
    }
}

using Svi.Kernels.Safetensors;

namespace Svi.Inference.Weights;

/// <summary>
/// Copies a checkpoint into a module whose parameter names are the checkpoint's key names (the official layout,
/// optionally under a fixed prefix). Every parameter and buffer must be present with its exact shape; anything
/// missing, extra or mis-shaped is an error naming the file and the key. For other layouts, FP8, sharded files
/// and memory mapping use <see cref="CheckpointLoader"/>.
/// </summary>
public static class StateDictLoader
{
    public static void LoadStrict(nn.Module module, SafetensorsFile file, string keyPrefix = "")
    {
        using var checkpoint = CheckpointSet.Open(file.Path);
        var layout = keyPrefix.Length == 0 ? KeyLayout.Official : KeyLayout.Prefixed(keyPrefix);
        CheckpointLoader.Load(module, checkpoint, new WeightLoadOptions(KeepFp8: false, Layout: layout, IgnoreForeignKeys: keyPrefix.Length > 0));
    }
}

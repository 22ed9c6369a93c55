using Svi.Kernels.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Svi.Inference.Weights;

/// <summary>
/// Copies a checkpoint into a module whose parameter names are the checkpoint's key names. Every parameter
/// and buffer must be present with its exact shape; anything missing, extra or mis-shaped is an error naming
/// the file and the key.
/// </summary>
public static class StateDictLoader
{
    public static void LoadStrict(nn.Module module, SafetensorsFile file, string keyPrefix = "")
    {
        var expected = module.state_dict();
        var problems = new List<string>();
        foreach (var (name, target) in expected)
        {
            string key = keyPrefix + name;
            if (!file.Entries.TryGetValue(key, out var entry)) { problems.Add($"missing '{key}'"); continue; }
            if (!entry.Shape.SequenceEqual(target.shape))
            {
                problems.Add($"'{key}' has shape [{string.Join(',', entry.Shape)}], the model needs [{string.Join(',', target.shape)}]");
                continue;
            }
            using var scope = NewDisposeScope();
            using (no_grad()) target.copy_(file.Read(key).to(target.dtype));
        }
        var extra = file.Keys.Where(k => k.StartsWith(keyPrefix, StringComparison.Ordinal) && !expected.ContainsKey(k[keyPrefix.Length..])).ToList();
        problems.AddRange(extra.Take(20).Select(k => $"unexpected '{k}'"));
        if (problems.Count > 0)
            throw new CheckpointFormatException(file.Path,
                $"{problems.Count} problem(s) loading into {module.GetName()}: {string.Join("; ", problems.Take(20))}");
    }
}

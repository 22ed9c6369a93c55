using Svi.Kernels.Safetensors;

namespace Svi.Testing;

/// <summary>
/// Writes tiny random-weight checkpoints in the real file layouts. Our modules are named after the official
/// checkpoint keys, so a module's own state dict IS the official layout; a prefix gives the ComfyUI single-file
/// layout (<c>model.diffusion_model.</c>). Tests then load them through the production loaders.
/// </summary>
public static class TinyCheckpoints
{
    public const string ComfyDiffusionModelPrefix = "model.diffusion_model.";
    public const string PeftPrefix = "diffusion_model.";

    /// <summary>Every parameter and buffer of <paramref name="module"/>, redrawn N(0, <paramref name="scale"/>²), none zero.</summary>
    public static void WriteModule(nn.Module module, string path, long seed, string keyPrefix = "", double scale = 0.05,
        ScalarType? dtype = null)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(unchecked((ulong)seed), CPU);
        var tensors = module.state_dict()
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => new KeyValuePair<string, Tensor>(keyPrefix + kv.Key,
                (randn(kv.Value.shape, ScalarType.Float32, generator: generator) * scale).to(dtype ?? kv.Value.dtype)))
            .ToList();
        SafetensorsWriter.Write(path, tensors);
    }

    /// <summary>
    /// A PEFT LoRA for every <see cref="Svi.Inference.Nn.Linear"/> under <paramref name="under"/> (official names,
    /// e.g. <c>blocks.0.self_attn.q</c>): <c>{prefix}{name}.lora_A.weight</c> [r, in] and <c>….lora_B.weight</c> [out, r].
    /// </summary>
    public static IReadOnlyList<string> WritePeftLora(nn.Module module, string path, int rank, long seed,
        string keyPrefix = PeftPrefix, string under = "blocks.", double scale = 0.05)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator(unchecked((ulong)seed), CPU);
        var targets = module.named_modules()
            .Where(m => m.module is Svi.Inference.Nn.Linear && m.name.StartsWith(under, StringComparison.Ordinal))
            .OrderBy(m => m.name, StringComparer.Ordinal)
            .ToList();
        var tensors = new List<KeyValuePair<string, Tensor>>();
        foreach (var (name, target) in targets)
        {
            var linear = (Svi.Inference.Nn.Linear)target;
            tensors.Add(new($"{keyPrefix}{name}.lora_A.weight", randn([rank, linear.InFeatures], generator: generator) * scale));
            tensors.Add(new($"{keyPrefix}{name}.lora_B.weight", randn([linear.OutFeatures, rank], generator: generator) * scale));
        }
        SafetensorsWriter.Write(path, tensors);
        return targets.Select(t => t.name).ToList();
    }
}

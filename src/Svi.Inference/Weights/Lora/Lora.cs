using Serilog;
using Svi.Inference.Nn;
using static TorchSharp.torch;

namespace Svi.Inference.Weights;

/// <summary>How a LoRA reaches the weights.</summary>
public enum LoraMode
{
    /// <summary>W ← W + s·B·A once, in place (no cost per step; not reversible). FP8 layers fall back to <see cref="OnTheFly"/>.</summary>
    Merge,
    /// <summary>y = x·Wᵀ + s·(x·Aᵀ)·Bᵀ in every forward (weights untouched; removable with <see cref="Lora.Remove"/>).</summary>
    OnTheFly,
}

/// <summary>Applies LoRA sets to a module built from <see cref="Linear"/> layers.</summary>
public static class Lora
{
    /// <summary>
    /// Applies every patch of <paramref name="lora"/> with <paramref name="strength"/>. All targets are resolved and
    /// shape-checked before anything changes, so a bad file leaves the module untouched.
    /// </summary>
    /// <exception cref="CheckpointFormatException">a target is not a layer of the module, or its shape does not fit; names the file and key.</exception>
    public static void Apply(nn.Module module, LoraSet lora, double strength, LoraMode mode)
    {
        var modules = module.named_modules().ToDictionary(m => m.name, m => m.module, StringComparer.Ordinal);
        modules[""] = module; // TorchSharp's named_modules leaves out the module itself
        var linears = modules.Where(kv => kv.Value is Linear).ToDictionary(kv => kv.Key, kv => (Linear)kv.Value, StringComparer.Ordinal);
        var linearNames = new LoraTargetNames(linears.Keys);
        var parameters = module.state_dict();
        var parameterNames = new LoraTargetNames(parameters.Keys);
        var problems = new List<string>();

        var resolved = new List<(LoraPatch Patch, Linear Layer)>();
        foreach (var patch in lora.Patches)
        {
            if (linearNames.Resolve(patch.Target) is not { } path) { problems.Add($"'{patch.SourceKey}' targets '{patch.Target}', which is not a linear layer of the model"); continue; }
            var layer = linears[path];
            if (patch.Down.shape[1] != layer.InFeatures || patch.Up.shape[0] != layer.OutFeatures)
            {
                problems.Add($"'{patch.SourceKey}' gives a [{patch.Up.shape[0]}, {patch.Down.shape[1]}] update for '{path}', whose weight is [{layer.OutFeatures}, {layer.InFeatures}]");
                continue;
            }
            resolved.Add((patch, layer));
        }
        var resolvedDiffs = new List<(LoraDiff Diff, Tensor Target)>();
        foreach (var diff in lora.Diffs)
        {
            var name = diff.IsBias ? parameterNames.Resolve(diff.Target + ".bias")
                : parameterNames.Resolve(diff.Target + ".weight") ?? parameterNames.Resolve(diff.Target);
            if (name is null) { problems.Add($"'{diff.SourceKey}' targets '{diff.Target}', which has no such parameter in the model"); continue; }
            var target = parameters[name];
            if (!diff.Delta.shape.SequenceEqual(target.shape) || Kernels.Fp8.Fp8Formats.IsFp8(target.dtype))
            {
                problems.Add($"'{diff.SourceKey}' [{string.Join(',', diff.Delta.shape)}] cannot be added to '{name}' ({target.dtype} [{string.Join(',', target.shape)}])");
                continue;
            }
            resolvedDiffs.Add((diff, target));
        }
        if (problems.Count > 0)
            throw new CheckpointFormatException(lora.Path, $"LoRA does not fit {module.GetName()}: {string.Join("; ", problems.Take(20))}"
                + (problems.Count > 20 ? $"; … and {problems.Count - 20} more" : ""));

        int merged = 0, onTheFly = 0;
        foreach (var (patch, layer) in resolved)
        {
            using var scope = NewDisposeScope();
            double factor = strength * patch.Factor;
            var device = layer.weight.device;
            if (mode == LoraMode.Merge && layer.Fp8 is null)
            {
                var delta = matmul(patch.Up.to(ScalarType.Float32, device), patch.Down.to(ScalarType.Float32, device)).mul_(factor);
                layer.MergeIntoWeight(delta);
                merged++;
            }
            else
            {
                var down = patch.Down.to(device).clone().DetachFromDisposeScope();
                var up = patch.Up.to(device).clone().DetachFromDisposeScope();
                layer.AddAdapter(new LoraAdapter(down, up, factor));
                onTheFly++;
            }
        }
        foreach (var (diff, target) in resolvedDiffs)
        {
            using var scope = NewDisposeScope();
            using (no_grad()) target.copy_(target.to(ScalarType.Float32).add_(diff.Delta.to(ScalarType.Float32, target.device), alpha: strength));
        }
        Log.Information("Applied LoRA {Path} at strength {Strength}: {Merged} merged, {OnTheFly} on the fly, {Diffs} full diffs",
            lora.Path, strength, merged, onTheFly, resolvedDiffs.Count);
    }

    /// <summary>Loads <paramref name="path"/> and applies it (see <see cref="Apply(nn.Module, LoraSet, double, LoraMode)"/>).</summary>
    public static void Apply(nn.Module module, string path, double strength, LoraMode mode)
    {
        using var lora = LoraFile.Load(path, module);
        Apply(module, lora, strength, mode);
    }

    /// <summary>Removes every on-the-fly LoRA pair from the module (merged ones are part of the weights and stay).</summary>
    public static void Remove(nn.Module module)
    {
        foreach (var m in module.named_modules().Select(n => n.module).Append(module))
            if (m is Linear layer) layer.ClearAdapters();
    }
}

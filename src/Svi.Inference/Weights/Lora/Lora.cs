using Serilog;
using Svi.Inference.Nn;

namespace Svi.Inference.Weights;

/// <summary>Applies LoRA sets to a module built from <see cref="Linear"/> layers.</summary>
public static class Lora
{
    /// <summary>
    /// Applies every update of <paramref name="lora"/> that fits the module with <paramref name="strength"/> and returns
    /// how it fitted. Updates for modules the model lacks are skipped and named in one warning line; the file fails
    /// only when fewer than half of its updates fit (<see cref="LoraFit"/>). Everything is resolved and shape-checked
    /// before anything changes, so a failing file leaves the module untouched.
    /// </summary>
    /// <remarks>A full diff (<c>.diff</c>) on a weight kept as FP8 decodes that weight (bytes × scale), adds the diff in
    /// float32 and keeps the sum as a plain weight in the layer's own dtype (the plan's), as ComfyUI patches an FP8 weight.</remarks>
    /// <exception cref="CheckpointFormatException">too few updates fit, or a diff targets an FP8 tensor that is no linear
    /// weight; names the file.</exception>
    public static LoraFit Apply(nn.Module module, LoraSet lora, double strength, LoraMode mode)
    {
        var modules = module.named_modules().ToDictionary(m => m.name, m => m.module, StringComparer.Ordinal);
        modules[""] = module; // TorchSharp's named_modules leaves out the module itself
        var linears = modules.Where(kv => kv.Value is Linear).ToDictionary(kv => kv.Key, kv => (Linear)kv.Value, StringComparer.Ordinal);
        var parameters = module.state_dict();
        var targets = new LoraTargets(module.GetName(),
            linears.ToDictionary(kv => kv.Key, kv => (kv.Value.OutFeatures, kv.Value.InFeatures), StringComparer.Ordinal),
            parameters.ToDictionary(kv => kv.Key, kv => kv.Value.shape, StringComparer.Ordinal));
        var fit = LoraFit.Match(lora.Path, lora.Keys, targets);
        if (fit.TooFewMatch) throw new CheckpointFormatException(lora.Path, fit.Failure());
        var fp8Diffs = fit.Diffs.Where(d => Kernels.Fp8.Fp8Formats.IsFp8(parameters[d.Parameter].dtype))
            .ToDictionary(d => d.Parameter, d => Fp8WeightOwner(linears, d.Parameter), StringComparer.Ordinal);
        if (fp8Diffs.Where(kv => kv.Value is null).Select(kv => kv.Key).ToList() is { Count: > 0 } foreign)
            throw new CheckpointFormatException(lora.Path, $"full diffs cannot be added to FP8 tensors that are no linear weight: " +
                $"{string.Join(", ", foreign.Take(5).Select(p => $"'{p}'"))}; use a bf16/fp16 variant of the model");
        if (fit.SkippedSummary() is { } skipped)
            Log.Warning("LoRA {Path} on {Model}: skipped {Skipped}", lora.Path, targets.ModelName, skipped);

        var patches = lora.Patches.ToDictionary(p => p.Keys);
        var deltas = lora.Diffs.ToDictionary(d => d.Keys);
        int merged = 0, onTheFly = 0;
        foreach (var (pair, path) in fit.Pairs)
        {
            using var scope = NewDisposeScope();
            var patch = patches[pair];
            var layer = linears[path];
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
        foreach (var (diff, name) in fit.Diffs)
        {
            using var scope = NewDisposeScope();
            if (fp8Diffs.GetValueOrDefault(name) is { } fp8Layer)
            {
                using (no_grad())
                {
                    var sum = fp8Layer.EffectiveWeight(ScalarType.Float32)
                        .add(deltas[diff].Delta.to(ScalarType.Float32, fp8Layer.weight.device), alpha: strength);
                    fp8Layer.SetWeight(sum.to(fp8Layer.PlainDType).DetachFromDisposeScope());
                }
                continue;
            }
            var target = parameters[name];
            using (no_grad()) target.copy_(target.to(ScalarType.Float32).add_(deltas[diff].Delta.to(ScalarType.Float32, target.device), alpha: strength));
        }
        Log.Information("Applied LoRA {Path} at strength {Strength}: {Merged} merged, {OnTheFly} on the fly, {Diffs} full diffs",
            lora.Path, strength, merged, onTheFly, fit.Diffs.Count);
        return fit;
    }

    /// <summary>The linear layer whose FP8 weight <paramref name="parameter"/> is, or null when it is no linear's weight.</summary>
    static Linear? Fp8WeightOwner(IReadOnlyDictionary<string, Linear> linears, string parameter)
    {
        string? owner = parameter == "weight" ? ""
            : parameter.EndsWith(".weight", StringComparison.Ordinal) ? parameter[..^".weight".Length] : null;
        return owner is not null && linears.GetValueOrDefault(owner) is { Fp8: not null } layer ? layer : null;
    }

    /// <summary>Loads <paramref name="path"/> and applies it (see <see cref="Apply(nn.Module, LoraSet, double, LoraMode)"/>).</summary>
    public static LoraFit Apply(nn.Module module, string path, double strength, LoraMode mode)
    {
        using var lora = LoraFile.Load(path, module);
        return Apply(module, lora, strength, mode);
    }

    /// <summary>Removes every on-the-fly LoRA pair from the module (merged ones are part of the weights and stay).</summary>
    public static void Remove(nn.Module module)
    {
        foreach (var m in module.named_modules().Select(n => n.module).Append(module))
            if (m is Linear layer) layer.ClearAdapters();
    }
}

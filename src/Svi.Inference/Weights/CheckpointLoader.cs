using Serilog;
using Svi.Inference.Nn;
using Svi.Inference.Weights.Random;
using Svi.Kernels;
using Svi.Kernels.Fp8;
using Svi.Kernels.Safetensors;
using Svi.Kernels.TorchZip;
using TorchSharp;

namespace Svi.Inference.Weights;

/// <summary>
/// Loads a checkpoint (single safetensors file, sharded index, official, Comfy-prefixed, FP8 / FP8-scaled, UMT5
/// Hugging Face names) into a module whose parameter names are the official key names. Strict: every parameter and
/// buffer must be present with its exact shape, and every checkpoint key must land somewhere; each failure is named
/// with the file and the key.
/// </summary>
public static class CheckpointLoader
{
    /// <exception cref="WeightsMissingException">the file (or a shard) does not exist.</exception>
    /// <exception cref="CheckpointFormatException">keys are missing, extra or mis-shaped.</exception>
    public static WeightLoadReport Load(nn.Module module, string path, WeightLoadOptions? options = null)
    {
        using var checkpoint = Open(path, module);
        return Load(module, checkpoint, options);
    }

    /// <summary>
    /// Opens a checkpoint by its file: <c>.safetensors</c>, a sharded <c>*.safetensors.index.json</c>, or a torch zip
    /// (<c>.pth</c>, <c>.pt</c>, <c>.ckpt</c>, <c>.bin</c>). An absent file becomes <see cref="WeightsMissingException"/>,
    /// an unreadable one <see cref="CheckpointFormatException"/>. A random-weights address (<c>random:…</c>, see
    /// <see cref="RandomWeightsPath"/>) opens a <see cref="RandomCheckpoint"/> shaped for <paramref name="shapeOf"/>
    /// instead: the one place where random weights differ from files.
    /// </summary>
    public static ITensorCheckpoint Open(string path, nn.Module? shapeOf = null)
    {
        if (RandomWeightsPath.IsRandom(path))
            return RandomCheckpoint.Open(path, shapeOf ?? throw new CheckpointFormatException(path,
                "random weights take their keys and shapes from the module being loaded, and none was given"));
        if (!File.Exists(path)) throw new WeightsMissingException(path, WeightsMissingException.DefaultHint);
        try
        {
            return TorchZipCheckpoint.LooksLikeTorchZip(path) ? TorchZipCheckpoint.Open(path) : CheckpointSet.Open(path);
        }
        catch (FileNotFoundException e) { throw new WeightsMissingException(e.FileName ?? path, WeightsMissingException.DefaultHint); }
        catch (SafetensorsFormatException e) { throw new CheckpointFormatException(e.FilePath, e.Message); }
        catch (InvalidDataException e) { throw new CheckpointFormatException(path, e.Message); }
    }

    public static WeightLoadReport Load(nn.Module module, ITensorCheckpoint checkpoint, WeightLoadOptions? options = null)
    {
        options ??= WeightLoadOptions.Default;
        var targets = module.state_dict();
        var moduleKeys = targets.Keys.ToHashSet(StringComparer.Ordinal);
        var layout = options.Layout ?? KeyLayout.Detect(checkpoint.Keys, moduleKeys);

        var match = CheckpointKeyMatch.Of(checkpoint.Keys, moduleKeys, layout, options.IgnoreForeignKeys);
        var byModuleKey = match.ByModuleKey;
        var problems = match.Unexpected.Select(key => $"unexpected key '{key}'").ToList();

        var linears = module.named_modules().Where(m => m.module is Linear)
            .ToDictionary(m => m.name, m => (Linear)m.module, StringComparer.Ordinal);
        // TorchSharp's named_modules leaves out the module itself.
        if (module is Linear root) linears[""] = root;
        int copied = 0, mapped = 0, keptFp8 = 0, decodedFp8 = 0;
        foreach (var (name, target) in targets)
        {
            if (!byModuleKey.TryGetValue(name, out var key)) { problems.Insert(0, $"missing key '{name}'"); continue; }
            var stored = checkpoint.Header(key);
            if (!stored.Shape.SequenceEqual(target.shape))
            {
                problems.Insert(0, $"'{key}' has shape [{string.Join(',', stored.Shape)}], the model needs [{string.Join(',', target.shape)}]");
                continue;
            }
            using var scope = NewDisposeScope();
            var storedType = SafetensorsDType.ToScalarType(stored.DType);
            var owner = OwningLinear(linears, name);
            if (Fp8Formats.IsFp8(storedType))
            {
                var scale = ReadScale(checkpoint, key);
                if (options.KeepFp8 && owner is not null)
                {
                    var bytes = options.MemoryMap ? checkpoint.Map(key) : checkpoint.Read(key);
                    owner.SetFp8Weight(bytes.device == target.device ? bytes : bytes.to(target.device), scale);
                    keptFp8++;
                }
                else
                {
                    var decoded = checkpoint.Read(key).to(ScalarType.Float32);
                    if (scale is not null) decoded = decoded.mul_(scale);
                    using (no_grad()) target.copy_(decoded);
                    decodedFp8++;
                }
            }
            else if (options.MemoryMap && owner is not null && target.device_type == DeviceType.CPU && storedType == target.dtype)
            {
                owner.SetWeight(checkpoint.Map(key));
                mapped++;
            }
            else
            {
                CopyInto(checkpoint, key, target, storedType);
                copied++;
            }
        }

        if (problems.Count > 0)
            throw new CheckpointFormatException(checkpoint.Path,
                $"{problems.Count} problem(s) loading it into {module.GetName()} (key layout: {layout}): {string.Join("; ", problems.Take(20))}"
                + (problems.Count > 20 ? $"; … and {problems.Count - 20} more" : ""));
        var report = new WeightLoadReport(checkpoint.Path, layout, copied, mapped, keptFp8, decodedFp8);
        Log.Debug("Loaded {Path} with layout {Layout}: {Copied} copied, {Mapped} mapped, {KeptFp8} FP8 kept, {DecodedFp8} FP8 decoded",
            report.Path, layout.Name, copied, mapped, keptFp8, decodedFp8);
        return report;
    }

    /// <summary>The Linear whose <c>weight</c> the state-dict key names, or null (its bias and every other parameter are copied).</summary>
    static Linear? OwningLinear(Dictionary<string, Linear> linears, string moduleKey)
    {
        const string weight = ".weight";
        if (moduleKey == "weight") return linears.GetValueOrDefault("");
        return moduleKey.EndsWith(weight, StringComparison.Ordinal) ? linears.GetValueOrDefault(moduleKey[..^weight.Length]) : null;
    }

    static Tensor? ReadScale(ITensorCheckpoint checkpoint, string weightKey)
    {
        foreach (var scaleKey in Fp8ScaledConvention.ScaleKeysFor(weightKey))
        {
            if (!checkpoint.Contains(scaleKey)) continue;
            var scale = checkpoint.Read(scaleKey).to(ScalarType.Float32);
            if (scale.NumberOfElements != 1)
                throw new CheckpointFormatException(checkpoint.Header(scaleKey).FilePath,
                    $"'{scaleKey}' has shape [{string.Join(',', scale.shape)}]; only a per-tensor (scalar) scale is supported");
            return scale.reshape();
        }
        return null;
    }

    /// <summary>Reads straight into the destination when it is a contiguous CPU tensor of the stored dtype; otherwise via a temporary.</summary>
    static void CopyInto(ITensorCheckpoint checkpoint, string key, Tensor target, ScalarType storedType)
    {
        if (target.device_type == DeviceType.CPU && target.dtype == storedType && target.is_contiguous())
        {
            checkpoint.ReadInto(key, target);
            return;
        }
        using (no_grad()) target.copy_(checkpoint.Read(key));
    }
}

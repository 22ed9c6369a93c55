using System.Text;
using Svi.Inference.Nn;
using Svi.Kernels;
using Svi.Kernels.Fp8;
using Svi.Kernels.Safetensors;
using TorchSharp;

namespace Svi.Inference.Weights.Random;

/// <summary>
/// A checkpoint whose tensors are seeded random values instead of a file's bytes: the keys and shapes are those of
/// the module it is opened for (its own state dict, or a PEFT LoRA over its block linears), so the production
/// loaders, key layouts, FP8 handling and LoRA merge run unchanged on it. Every weight is uniform in ±1/√fan_in, which
/// keeps activations finite through a deep random network; FP8 storage holds valid e4m3fn bytes plus a
/// <c>scale_weight</c> per linear, as ComfyUI's scaled files do. The same address always gives the same values.
/// </summary>
public sealed class RandomCheckpoint : ITensorCheckpoint
{
    sealed record Entry(TensorHeader Header, ScalarType Type, double Bound, double? Constant = null);

    readonly Dictionary<string, Entry> entries;
    readonly RandomValuePool pool;
    readonly long seed;

    RandomCheckpoint(string path, long seed, Dictionary<string, Entry> entries)
    {
        Path = path;
        this.seed = seed;
        this.entries = entries;
        long largest = entries.Values.Select(e => e.Header.Shape.Aggregate(1L, (a, b) => a * b)).DefaultIfEmpty(1).Max();
        pool = new RandomValuePool(seed, Math.Clamp(largest, 1, RandomValuePool.DefaultLength));
    }

    /// <summary>The checkpoint at a random address, shaped for <paramref name="target"/> (the module being loaded, or the model a LoRA is for).</summary>
    public static RandomCheckpoint Open(string path, nn.Module target)
    {
        var address = RandomWeightsPath.Parse(path);
        return address.Lora ? LoraFor(path, address, target) : ForModule(path, address, target);
    }

    static RandomCheckpoint ForModule(string path, RandomWeightsPath address, nn.Module module)
    {
        var linears = module.named_modules().Where(m => m.module is Linear).Select(m => m.name + ".weight").ToHashSet(StringComparer.Ordinal);
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var (key, tensor) in module.state_dict())
        {
            long[] shape = tensor.shape;
            double bound = shape.Length >= 2 ? 1 / Math.Sqrt(shape.Skip(1).Aggregate(1L, (a, b) => a * b)) : 0.1;
            if (address.Storage == RandomStorage.Fp8Scaled && linears.Contains(key))
            {
                Add(entries, path, key, SafetensorsDType.Float8E4M3FN, shape, bound);
                string scaleKey = key[..^".weight".Length] + Fp8ScaledConvention.WeightScaleSuffixes[0];
                Add(entries, path, scaleKey, ScalarType.Float32, [], 0, bound / RandomValuePool.Fp8MaxMagnitude);
            }
            else
            {
                var type = address.Storage == RandomStorage.Float32 || !tensor.is_floating_point() ? tensor.dtype : ScalarType.BFloat16;
                Add(entries, path, key, type, shape, bound);
            }
        }
        return new RandomCheckpoint(path, address.Seed, entries);
    }

    /// <summary>A PEFT LoRA (<c>diffusion_model.X.lora_A.weight</c> [r, in], <c>….lora_B.weight</c> [out, r]) for every block linear.</summary>
    static RandomCheckpoint LoraFor(string path, RandomWeightsPath address, nn.Module target)
    {
        var type = address.Storage == RandomStorage.Float32 ? ScalarType.Float32 : ScalarType.BFloat16;
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var (name, module) in target.named_modules())
        {
            if (module is not Linear linear || !name.StartsWith("blocks.", StringComparison.Ordinal)) continue;
            Add(entries, path, $"diffusion_model.{name}.lora_A.weight", type, [address.Rank, linear.InFeatures], 1 / Math.Sqrt(linear.InFeatures));
            // B small, so the merged update is a perturbation of the expert as a trained LoRA's is.
            Add(entries, path, $"diffusion_model.{name}.lora_B.weight", type, [linear.OutFeatures, address.Rank], 0.1 / Math.Sqrt(address.Rank));
        }
        return new RandomCheckpoint(path, address.Seed, entries);
    }

    static void Add(Dictionary<string, Entry> entries, string path, string key, ScalarType type, long[] shape, double bound, double? constant = null) =>
        entries[key] = new Entry(new TensorHeader(key, SafetensorsDType.FromScalarType(type), shape, path), type, bound, constant);

    public string Path { get; }
    public IEnumerable<string> Keys => entries.Keys;
    public bool Contains(string key) => entries.ContainsKey(key);
    public TensorHeader Header(string key) => Get(key).Header;

    public Tensor Read(string key, Device? device = null)
    {
        var entry = Get(key);
        var tensor = empty(entry.Header.Shape, dtype: entry.Type);
        Fill(key, entry, tensor);
        if (device is null || device.type == DeviceType.CPU) return tensor;
        using (tensor) return tensor.to(device);
    }

    public Tensor Map(string key) => Read(key);

    public void ReadInto(string key, Tensor destination)
    {
        var entry = Get(key);
        if (destination.device_type != DeviceType.CPU || !destination.is_contiguous() || destination.dtype != entry.Type
            || !destination.shape.SequenceEqual(entry.Header.Shape))
            throw new ArgumentException($"{Path}: '{key}' needs a contiguous CPU {entry.Type} destination of its shape", nameof(destination));
        Fill(key, entry, destination);
    }

    Entry Get(string key) => entries.TryGetValue(key, out var entry) ? entry
        : throw new KeyNotFoundException($"{Path}: no tensor named '{key}'");

    // Cuts the tensor from the pool, starting where the key's hash points and wrapping around.
    void Fill(string key, Entry entry, Tensor destination)
    {
        if (entry.Constant is { } constant)
        {
            destination.fill_(constant);
            return;
        }
        using var scope = NewDisposeScope();
        long count = destination.NumberOfElements, start = (long)(Hash(key) % (ulong)pool.Length);
        if (Fp8Formats.IsFp8(entry.Type))
        {
            CopyBytes(destination, count, start);
            return;
        }
        using var flat = destination.view(-1);
        using var noGrad = no_grad();
        for (long done = 0; done < count; start = 0)
        {
            long take = Math.Min(count - done, pool.Length - start);
            flat.narrow(0, done, take).copy_(pool.Values.narrow(0, start, take)).mul_(entry.Bound);
            done += take;
        }
    }

    unsafe void CopyBytes(Tensor destination, long count, long start)
    {
        byte* target = (byte*)TensorMemory.DataPointer(destination);
        byte* source = (byte*)TensorMemory.DataPointer(pool.Fp8Bytes);
        for (long done = 0; done < count; start = 0)
        {
            long take = Math.Min(count - done, pool.Length - start);
            Buffer.MemoryCopy(source + start, target + done, take, take);
            done += take;
        }
    }

    // FNV-1a over the key, mixed with the seed: each tensor's values depend on its name, not on the load order.
    ulong Hash(string key)
    {
        ulong hash = 14695981039346656037UL ^ unchecked((ulong)seed * 0x9E3779B97F4A7C15UL);
        foreach (byte b in Encoding.UTF8.GetBytes(key)) hash = (hash ^ b) * 1099511628211UL;
        return hash;
    }

    public void Dispose() => pool.Dispose();
}

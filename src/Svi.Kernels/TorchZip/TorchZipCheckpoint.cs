using System.IO.Compression;
using Svi.Kernels.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace Svi.Kernels.TorchZip;

/// <summary>
/// A PyTorch checkpoint in the zip format of <c>torch.save</c> (since 1.6): <c>&lt;root&gt;/data.pkl</c> pickles
/// the state dict, each tensor a <c>_rebuild_tensor_v2(storage, offset, size, stride, …)</c> call whose storage is
/// a persistent id <c>('storage', torch.FloatStorage, key, location, numel)</c>, its bytes in
/// <c>&lt;root&gt;/data/&lt;key&gt;</c> (little-endian, usually stored uncompressed). Only a dict of tensors is
/// supported (a top-level <c>state_dict</c>/<c>model</c>/<c>module</c> wrapper is unwrapped); nothing is
/// executed. Tensors are read into memory one storage at a time.
/// </summary>
public sealed class TorchZipCheckpoint : ITensorCheckpoint
{
    readonly ZipArchive archive;
    readonly string root;
    readonly Dictionary<string, TorchZipTensor> tensors;

    TorchZipCheckpoint(string path, ZipArchive archive, string root, Dictionary<string, TorchZipTensor> tensors)
    {
        Path = path;
        this.archive = archive;
        this.root = root;
        this.tensors = tensors;
    }

    public string Path { get; }
    public IReadOnlyDictionary<string, TorchZipTensor> Tensors => tensors;
    public IEnumerable<string> Keys => tensors.Keys;
    public bool Contains(string key) => tensors.ContainsKey(key);

    public static bool LooksLikeTorchZip(string path) =>
        path.EndsWith(".pth", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".pt", StringComparison.OrdinalIgnoreCase)
        || path.EndsWith(".ckpt", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".bin", StringComparison.OrdinalIgnoreCase);

    /// <exception cref="InvalidDataException">not a torch zip checkpoint, or a pickle outside the supported subset.</exception>
    public static TorchZipCheckpoint Open(string path)
    {
        ZipArchive archive;
        try { archive = ZipFile.OpenRead(path); }
        catch (InvalidDataException) { throw new InvalidDataException($"{path}: not a zip file (legacy pre-1.6 torch.save files are not supported)"); }
        try
        {
            var pickleEntry = archive.Entries.FirstOrDefault(e => e.FullName == "data.pkl" || e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal))
                ?? throw new InvalidDataException($"{path}: no data.pkl in the archive: not a torch.save checkpoint");
            string root = pickleEntry.FullName[..^"data.pkl".Length];
            byte[] pickle;
            using (var stream = pickleEntry.Open())
            using (var buffer = new MemoryStream())
            {
                stream.CopyTo(buffer);
                pickle = buffer.ToArray();
            }
            var reader = new PickleReader(pickle, $"{path}:{pickleEntry.FullName}")
            {
                PersistentLoad = id => StorageRef.From(path, id),
                Reduce = (callable, args) => Reduce(path, callable, args),
            };
            var top = reader.Load() as Dictionary<object, object?> ?? throw new InvalidDataException($"{path}: the pickle is not a dict of tensors");
            foreach (var wrapper in new[] { "state_dict", "model", "module" })
                if (top.Count == 1 && top.TryGetValue(wrapper, out var inner) && inner is Dictionary<object, object?> innerDict) top = innerDict;
            var tensors = new Dictionary<string, TorchZipTensor>(StringComparer.Ordinal);
            foreach (var (key, value) in top)
                if (key is string name && value is TorchZipTensor tensor) tensors[name] = tensor;
            return new TorchZipCheckpoint(path, archive, root, tensors);
        }
        catch
        {
            archive.Dispose();
            throw;
        }
    }

    sealed record StorageRef(ScalarType DType, string Key, long Numel)
    {
        public static StorageRef From(string path, object? id)
        {
            if (id is not object?[] { Length: >= 5 } t || t[0] is not "storage" || t[1] is not PickleGlobal type || t[2] is not string key || t[4] is not long numel)
                throw new InvalidDataException($"{path}: unsupported persistent id in data.pkl");
            return new StorageRef(StorageDType(path, type), key, numel);
        }
    }

    static ScalarType StorageDType(string path, PickleGlobal type) => type.Name switch
    {
        "FloatStorage" => ScalarType.Float32,
        "DoubleStorage" => ScalarType.Float64,
        "HalfStorage" => ScalarType.Float16,
        "BFloat16Storage" => ScalarType.BFloat16,
        "LongStorage" => ScalarType.Int64,
        "IntStorage" => ScalarType.Int32,
        "ShortStorage" => ScalarType.Int16,
        "CharStorage" => ScalarType.Int8,
        "ByteStorage" or "UntypedStorage" => ScalarType.Byte,
        "BoolStorage" => ScalarType.Bool,
        _ => throw new InvalidDataException($"{path}: storage type {type.FullName} is not supported"),
    };

    static object? Reduce(string path, PickleGlobal callable, object?[] args)
    {
        switch (callable.FullName)
        {
            case "collections.OrderedDict":
                return new Dictionary<object, object?>();
            case "torch._utils._rebuild_parameter" or "torch._utils._rebuild_parameter_with_state":
                return args[0];
            case "torch._utils._rebuild_tensor_v2":
                if (args is not [StorageRef storage, long offset, object?[] size, object?[] stride, ..])
                    throw new InvalidDataException($"{path}: unexpected _rebuild_tensor_v2 arguments");
                return new TorchZipTensor(storage.DType, storage.Key, storage.Numel, offset,
                    size.Select(Convert.ToInt64).ToArray(), stride.Select(Convert.ToInt64).ToArray());
            default:
                return new PickleCall(callable, args);
        }
    }

    public TorchZipTensor Entry(string key) =>
        tensors.TryGetValue(key, out var t) ? t : throw new KeyNotFoundException($"{Path}: no tensor named '{key}'");

    public TensorHeader Header(string key)
    {
        var t = Entry(key);
        return new TensorHeader(key, SafetensorsDType.FromScalarType(t.DType), t.Shape, Path);
    }

    public Tensor Read(string key, Device? device = null)
    {
        var t = Entry(key);
        using var storage = ReadStorage(t);
        var tensor = storage.as_strided(t.Shape, t.Stride, t.StorageOffset).contiguous();
        if (device is null || device.type == DeviceType.CPU) return tensor;
        var moved = tensor.to(device);
        tensor.Dispose();
        return moved;
    }

    public Tensor Map(string key) => Read(key);

    public void ReadInto(string key, Tensor destination)
    {
        using var tensor = Read(key);
        using (no_grad()) destination.copy_(tensor);
    }

    unsafe Tensor ReadStorage(TorchZipTensor t)
    {
        string entryName = $"{root}data/{t.StorageKey}";
        var entry = archive.GetEntry(entryName) ?? throw new InvalidDataException($"{Path}: storage '{entryName}' is missing from the archive");
        var storage = empty(t.StorageNumel, dtype: t.DType);
        long bytes = storage.NumberOfElements * storage.ElementSize;
        if (entry.Length != bytes)
            throw new InvalidDataException($"{Path}: storage '{entryName}' has {entry.Length} bytes, the pickle says {bytes}");
        byte* target = (byte*)TensorMemory.DataPointer(storage);
        lock (archive)
        {
            using var stream = entry.Open();
            for (long done = 0; done < bytes;)
            {
                int read = stream.Read(new Span<byte>(target + done, (int)Math.Min(bytes - done, 1 << 30)));
                if (read <= 0) throw new InvalidDataException($"{Path}: storage '{entryName}' ends early");
                done += read;
            }
        }
        return storage;
    }

    public void Dispose() => archive.Dispose();
}

using System.Text.Json;
using static TorchSharp.torch;

namespace Svi.Kernels.Safetensors;

/// <summary>
/// One key space over the safetensors file(s) of a checkpoint: a single <c>.safetensors</c> file, or a sharded
/// checkpoint described by a <c>*.safetensors.index.json</c> (<c>weight_map</c>: key → shard file name).
/// </summary>
public sealed class CheckpointSet : ITensorCheckpoint
{
    readonly List<SafetensorsFile> files;

    CheckpointSet(string path, List<SafetensorsFile> files, Dictionary<string, CheckpointTensor> tensors)
    {
        Path = path;
        this.files = files;
        Tensors = tensors;
    }

    /// <summary>The path the set was opened from (the index file for a sharded checkpoint).</summary>
    public string Path { get; }
    public IReadOnlyList<SafetensorsFile> Files => files;
    public IReadOnlyDictionary<string, CheckpointTensor> Tensors { get; }
    public IEnumerable<string> Keys => Tensors.Keys;
    public bool Contains(string key) => Tensors.ContainsKey(key);

    /// <summary>Metadata of the first file (Comfy and kohya files keep format hints there).</summary>
    public IReadOnlyDictionary<string, string> Metadata => files.Count > 0 ? files[0].Metadata : new Dictionary<string, string>();

    public static bool IsIndex(string path) => path.EndsWith(".index.json", StringComparison.OrdinalIgnoreCase);

    /// <exception cref="FileNotFoundException">the file, or a shard the index names, does not exist.</exception>
    public static CheckpointSet Open(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint file not found: {path}", path);
        return IsIndex(path) ? OpenSharded(path) : OpenSingle(path);
    }

    static CheckpointSet OpenSingle(string path)
    {
        var file = SafetensorsFile.Open(path);
        var tensors = file.Entries.ToDictionary(kv => kv.Key, kv => new CheckpointTensor(file, kv.Value), StringComparer.Ordinal);
        return new CheckpointSet(path, [file], tensors);
    }

    static CheckpointSet OpenSharded(string indexPath)
    {
        Dictionary<string, string> weightMap;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(indexPath));
            if (!document.RootElement.TryGetProperty("weight_map", out var map))
                throw new SafetensorsFormatException(indexPath, "the index has no 'weight_map'");
            weightMap = map.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
        }
        catch (JsonException e) { throw new SafetensorsFormatException(indexPath, $"the index is not valid JSON ({e.Message})"); }

        string directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(indexPath))!;
        var files = new List<SafetensorsFile>();
        var tensors = new Dictionary<string, CheckpointTensor>(StringComparer.Ordinal);
        try
        {
            foreach (var shardName in weightMap.Values.Distinct().Order(StringComparer.Ordinal))
            {
                string shardPath = System.IO.Path.Combine(directory, shardName);
                if (!File.Exists(shardPath))
                    throw new FileNotFoundException($"{indexPath}: shard '{shardName}' named by the index is missing (expected at {shardPath})", shardPath);
                var shard = SafetensorsFile.Open(shardPath);
                files.Add(shard);
                foreach (var (key, entry) in shard.Entries)
                {
                    if (!weightMap.TryGetValue(key, out var owner) || owner != shardName) continue;
                    tensors[key] = new CheckpointTensor(shard, entry);
                }
            }
            var absent = weightMap.Keys.Where(k => !tensors.ContainsKey(k)).Take(5).ToList();
            if (absent.Count > 0)
                throw new SafetensorsFormatException(indexPath,
                    $"the index maps {string.Join(", ", absent.Select(k => $"'{k}' → '{weightMap[k]}'"))} but that shard has no such tensor");
        }
        catch
        {
            foreach (var f in files) f.Dispose();
            throw;
        }
        return new CheckpointSet(indexPath, files, tensors);
    }

    public TensorHeader Header(string key)
    {
        var t = Entry(key);
        return new TensorHeader(key, t.DType, t.Shape, t.File.Path);
    }

    public CheckpointTensor Entry(string key) =>
        Tensors.TryGetValue(key, out var t) ? t : throw new KeyNotFoundException($"{Path}: no tensor named '{key}'");

    /// <summary>Reads a tensor into new memory with its stored dtype.</summary>
    public Tensor Read(string key, Device? device = null)
    {
        var t = Entry(key);
        return t.File.Read(t.Name, device);
    }

    /// <summary>A zero-copy view into the private memory mapping of the tensor's file (see <see cref="SafetensorsFile.Map(string)"/>).</summary>
    public Tensor Map(string key)
    {
        var t = Entry(key);
        return t.File.Map(t.Entry);
    }

    /// <summary>Reads a tensor's bytes straight into a contiguous CPU destination of the same byte length.</summary>
    public void ReadInto(string key, Tensor destination)
    {
        var t = Entry(key);
        t.File.ReadInto(t.Entry, destination);
    }

    public void Dispose()
    {
        foreach (var f in files) f.Dispose();
    }
}

using System.Text.Json;
using Svi.Kernels.Safetensors;

namespace Svi.Inference.Conformance;

/// <summary>
/// A golden set: <c>config.json</c> (component, constructor numbers), <c>io.safetensors</c> (inputs, outputs,
/// intermediates) and the component's weight files. Every size is read from here, never assumed.
/// </summary>
public sealed class ConformanceSet : IDisposable
{
    readonly Lazy<SafetensorsFile> io;

    public ConformanceSet(string directory)
    {
        Directory = Path.GetFullPath(directory);
        string configPath = Path.Combine(Directory, "config.json");
        if (!File.Exists(configPath))
            throw new FileNotFoundException($"{Directory} is not a golden set: it has no config.json", configPath);
        Config = JsonDocument.Parse(File.ReadAllText(configPath)).RootElement.Clone();
        Component = Config.TryGetProperty("component", out var c) ? c.GetString() ?? "" : "";
        io = new Lazy<SafetensorsFile>(() => SafetensorsFile.Open(Path.Combine(Directory, "io.safetensors")));
    }

    public string Directory { get; }
    public string Name => Path.GetFileName(Directory);
    public string Component { get; }
    public JsonElement Config { get; }

    public SafetensorsFile Io => io.Value;

    public string FilePath(string name) => Path.Combine(Directory, name);

    /// <summary>An io tensor converted to float32 (ids and masks keep their integer type).</summary>
    public Tensor Tensor(string name)
    {
        var tensor = Io.Read(name);
        if (!tensor.is_floating_point()) return tensor;
        var converted = tensor.to(ScalarType.Float32);
        if (!ReferenceEquals(converted, tensor)) tensor.Dispose();
        return converted;
    }

    public bool Has(string name) => Io.Contains(name);

    public void Dispose()
    {
        if (io.IsValueCreated) io.Value.Dispose();
    }
}

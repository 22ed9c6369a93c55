using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using TorchSharp;
using static TorchSharp.torch;

namespace Svi.Kernels.Safetensors;

/// <summary>
/// A safetensors file: an 8-byte little-endian header length, a JSON header, then the tensor bytes.
/// Tensors are read straight from the file into their destination, one at a time, without managed copies.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    readonly SafeFileHandle handle;
    readonly long dataStart;
    readonly Dictionary<ScalarType, Tensor> mappings = new();

    SafetensorsFile(string path, SafeFileHandle handle, long dataStart,
        IReadOnlyDictionary<string, SafetensorsEntry> entries, IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        this.handle = handle;
        this.dataStart = dataStart;
        Entries = entries;
        Metadata = metadata;
    }

    public string Path { get; }
    public IReadOnlyDictionary<string, SafetensorsEntry> Entries { get; }
    public IReadOnlyDictionary<string, string> Metadata { get; }
    public IEnumerable<string> Keys => Entries.Keys;

    public static SafetensorsFile Open(string path)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess);
        try
        {
            long fileLength = RandomAccess.GetLength(handle);
            Span<byte> lengthBytes = stackalloc byte[8];
            if (fileLength < 8 || RandomAccess.Read(handle, lengthBytes, 0) != 8)
                throw new SafetensorsFormatException(path, "the file is shorter than its 8-byte header length");
            long headerLength = BitConverter.ToInt64(lengthBytes);
            if (headerLength <= 0 || headerLength > 100_000_000 || 8 + headerLength > fileLength)
                throw new SafetensorsFormatException(path, $"header length {headerLength} does not fit a file of {fileLength} bytes");
            var header = new byte[headerLength];
            RandomAccess.Read(handle, header, 8);
            var (entries, metadata) = ParseHeader(path, header, fileLength - 8 - headerLength);
            return new SafetensorsFile(path, handle, 8 + headerLength, entries, metadata);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    static (Dictionary<string, SafetensorsEntry>, Dictionary<string, string>) ParseHeader(string path, byte[] header, long dataLength)
    {
        var entries = new Dictionary<string, SafetensorsEntry>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        JsonDocument document;
        try { document = JsonDocument.Parse(header.AsMemory().TrimEnd((byte)' ')); }
        catch (JsonException e) { throw new SafetensorsFormatException(path, $"the header is not valid JSON ({e.Message})"); }
        using (document)
        {
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    foreach (var m in property.Value.EnumerateObject()) metadata[m.Name] = m.Value.ToString();
                    continue;
                }
                var value = property.Value;
                string dtype = value.GetProperty("dtype").GetString()!;
                long[] shape = value.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                var offsets = value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
                var entry = new SafetensorsEntry(property.Name, dtype, shape, offsets[0], offsets[1]);
                long expected = shape.Aggregate(1L, (a, b) => a * b) * SafetensorsDType.ElementSize(dtype);
                if (entry.End > dataLength || entry.Begin < 0 || entry.ByteLength != expected)
                    throw new SafetensorsFormatException(path,
                        $"tensor '{property.Name}' ({dtype} {string.Join('x', shape)}) has offsets {entry.Begin}..{entry.End}, " +
                        $"expected {expected} bytes within {dataLength}");
                entries[property.Name] = entry;
            }
        }
        return (entries, metadata);
    }

    public bool Contains(string name) => Entries.ContainsKey(name);

    /// <summary>Reads a tensor with its stored dtype (F8 types come back as their libtorch float8 dtypes).</summary>
    public Tensor Read(string name, Device? device = null)
    {
        if (!Entries.TryGetValue(name, out var entry))
            throw new KeyNotFoundException($"{Path}: no tensor named '{name}'");
        var tensor = empty(entry.Shape, dtype: SafetensorsDType.ToScalarType(entry.DType));
        ReadInto(entry, tensor);
        return device is null || device.type == DeviceType.CPU ? tensor : MoveAndDispose(tensor, device);
    }

    /// <summary>A tensor's stored bytes as they are, e.g. a file embedded as a U8 tensor (a tokenizer model).</summary>
    public byte[] ReadBytes(SafetensorsEntry entry)
    {
        var bytes = new byte[entry.ByteLength];
        if (RandomAccess.Read(handle, bytes, dataStart + entry.Begin) != bytes.Length)
            throw new SafetensorsFormatException(Path, $"unexpected end of file in tensor '{entry.Name}'");
        return bytes;
    }

    /// <summary>Reads a tensor's raw bytes into a contiguous CPU tensor of the same byte length.</summary>
    public unsafe void ReadInto(SafetensorsEntry entry, Tensor destination)
    {
        if (destination.device_type != DeviceType.CPU || !destination.is_contiguous())
            throw new ArgumentException("destination must be a contiguous CPU tensor", nameof(destination));
        long bytes = destination.NumberOfElements * destination.ElementSize;
        if (bytes != entry.ByteLength)
            throw new ArgumentException($"{Path}: tensor '{entry.Name}' has {entry.ByteLength} bytes, destination {bytes}");
        byte* target = (byte*)TensorMemory.DataPointer(destination);
        long done = 0;
        while (done < bytes)
        {
            int chunk = (int)Math.Min(bytes - done, 1 << 30);
            int read = RandomAccess.Read(handle, new Span<byte>(target + done, chunk), dataStart + entry.Begin + done);
            if (read <= 0) throw new SafetensorsFormatException(Path, $"unexpected end of file in tensor '{entry.Name}'");
            done += read;
        }
    }

    /// <summary>
    /// A zero-copy view of a tensor in a private (copy-on-write) memory mapping of the whole file: no bytes are
    /// read until used, pages come from the page cache, and writing to the view never touches the file. TorchSharp
    /// cannot reinterpret a byte view as another dtype, so the file is mapped once per dtype it holds (address
    /// space only) and each tensor is a narrow of the mapping of its dtype. The view keeps its mapping alive after
    /// this file is disposed. A tensor whose offset is not a multiple of its element size (only in hand-made
    /// files: writers pad the header to 8 bytes) cannot be viewed in place and is read into new memory instead.
    /// </summary>
    public Tensor Map(string name)
    {
        if (!Entries.TryGetValue(name, out var entry))
            throw new KeyNotFoundException($"{Path}: no tensor named '{name}'");
        return Map(entry);
    }

    public Tensor Map(SafetensorsEntry entry)
    {
        long offset = dataStart + entry.Begin;
        int elementSize = SafetensorsDType.ElementSize(entry.DType);
        if (offset % elementSize != 0) return Read(entry.Name);
        var dtype = SafetensorsDType.ToScalarType(entry.DType);
        using var scope = NewDisposeScope();
        var view = Mapping(dtype, elementSize).narrow(0, offset / elementSize, entry.ByteLength / elementSize).view(entry.Shape);
        return view.MoveToOuterDisposeScope();
    }

    Tensor Mapping(ScalarType dtype, int elementSize)
    {
        lock (mappings)
        {
            if (mappings.TryGetValue(dtype, out var mapping)) return mapping;
            // shared: false maps MAP_PRIVATE, so an in-place update of a view (a merged LoRA) stays in memory.
            mapping = from_file(Path, shared: false, size: RandomAccess.GetLength(handle) / elementSize, dtype: dtype);
            // The mapping belongs to this file, not to whatever dispose scope the first view was taken in.
            mapping.DetachFromDisposeScope();
            mappings[dtype] = mapping;
            return mapping;
        }
    }

    static Tensor MoveAndDispose(Tensor tensor, Device device)
    {
        var moved = tensor.to(device);
        tensor.Dispose();
        return moved;
    }

    public void Dispose()
    {
        lock (mappings)
        {
            foreach (var mapping in mappings.Values) mapping.Dispose();
            mappings.Clear();
        }
        handle.Dispose();
    }
}

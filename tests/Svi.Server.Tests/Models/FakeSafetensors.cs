using Svi.Kernels.Safetensors;

namespace Svi.Server.Tests.Models;

/// <summary>
/// Writes a safetensors file with a real header and a sparse, all-zero data section: a 14B-parameter header check
/// runs against a file that costs no disk.
/// </summary>
public static class FakeSafetensors
{
    public static void Write(string path, IEnumerable<(string Key, string DType, long[] Shape)> tensors)
    {
        var header = new Dictionary<string, object>();
        long offset = 0;
        foreach (var (key, dtype, shape) in tensors)
        {
            long bytes = shape.Aggregate(1L, (a, b) => a * b) * SafetensorsDType.ElementSize(dtype);
            header[key] = new { dtype, shape, data_offsets = new[] { offset, offset + bytes } };
            offset += bytes;
        }
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(header);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var f = File.Create(path);
        f.Write(BitConverter.GetBytes((long)json.Length));
        f.Write(json);
        f.SetLength(8 + json.Length + offset);
    }

    public static void Write(string path, IReadOnlyDictionary<string, long[]> shapes, Func<string, long[], string> dtype) =>
        Write(path, shapes.Select(kv => (kv.Key, dtype(kv.Key, kv.Value), kv.Value)));
}

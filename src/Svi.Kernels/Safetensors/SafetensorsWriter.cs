using System.Text;
using System.Text.Json;
using static TorchSharp.torch;

namespace Svi.Kernels.Safetensors;

/// <summary>Writes tensors as a safetensors file (used for checkpoints of resumable jobs and test fixtures).</summary>
public static class SafetensorsWriter
{
    public static unsafe void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var items = tensors.Select(kv => (kv.Key, Tensor: kv.Value.cpu().contiguous())).ToList();
        try
        {
            var header = new Dictionary<string, object>();
            if (metadata is { Count: > 0 }) header["__metadata__"] = metadata;
            long offset = 0;
            foreach (var (name, tensor) in items)
            {
                long bytes = tensor.NumberOfElements * tensor.ElementSize;
                header[name] = new
                {
                    dtype = SafetensorsDType.FromScalarType(tensor.dtype),
                    shape = tensor.shape,
                    data_offsets = new[] { offset, offset + bytes },
                };
                offset += bytes;
            }
            var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
            int padding = (8 - json.Length % 8) % 8;
            string temporary = path + ".tmp";
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
            {
                stream.Write(BitConverter.GetBytes((long)(json.Length + padding)));
                stream.Write(json);
                for (int i = 0; i < padding; i++) stream.WriteByte((byte)' ');
                foreach (var (_, tensor) in items)
                {
                    long bytes = tensor.NumberOfElements * tensor.ElementSize;
                    byte* source = (byte*)TensorMemory.DataPointer(tensor);
                    for (long done = 0; done < bytes;)
                    {
                        int chunk = (int)Math.Min(bytes - done, 1 << 30);
                        stream.Write(new ReadOnlySpan<byte>(source + done, chunk));
                        done += chunk;
                    }
                }
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            foreach (var (_, tensor) in items) tensor.Dispose();
        }
    }
}

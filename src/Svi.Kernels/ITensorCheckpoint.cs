using static TorchSharp.torch;

namespace Svi.Kernels;

/// <summary>A checkpoint in any of the file formats we read, as one key space of tensors.</summary>
public interface ITensorCheckpoint : IDisposable
{
    /// <summary>The path it was opened from (the index file of a sharded checkpoint).</summary>
    string Path { get; }
    IEnumerable<string> Keys { get; }
    bool Contains(string key);
    TensorHeader Header(string key);

    /// <summary>Reads a tensor into new memory with its stored dtype.</summary>
    Tensor Read(string key, Device? device = null);

    /// <summary>A zero-copy view where the format allows it (safetensors), otherwise a read.</summary>
    Tensor Map(string key);

    /// <summary>Reads a tensor into a contiguous CPU destination of the same dtype and size.</summary>
    void ReadInto(string key, Tensor destination);
}

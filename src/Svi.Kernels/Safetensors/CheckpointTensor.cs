namespace Svi.Kernels.Safetensors;

/// <summary>Where one tensor of a checkpoint lives: its file and its header entry.</summary>
public sealed record CheckpointTensor(SafetensorsFile File, SafetensorsEntry Entry)
{
    public string Name => Entry.Name;
    public string DType => Entry.DType;
    public long[] Shape => Entry.Shape;
}

using Svi.Inference.Wan;

namespace Svi.Inference.Runtime;

/// <summary>
/// Where one DiT expert's weights are: all on the host while it waits, and while it runs its embeddings, head and
/// first <see cref="ResidentBlocks"/> blocks on the device, the remaining blocks brought in one at a time just before
/// they run and off again right after (block swap). Which experts are on the device is decided by its
/// <see cref="ExpertSlots"/>.
/// </summary>
public sealed class ExpertResidency
{
    readonly ExpertSlots slots;
    readonly WanTransformer model;
    readonly List<nn.Module> resident;

    internal ExpertResidency(string name, WanTransformer model, int residentBlocks, ExpertSlots slots)
    {
        if (residentBlocks < 0 || residentBlocks > model.Blocks.Count)
            throw new ArgumentOutOfRangeException(nameof(residentBlocks), residentBlocks,
                $"{name} has {model.Blocks.Count} blocks");
        Name = name;
        this.model = model;
        this.slots = slots;
        ResidentBlocks = residentBlocks;
        resident = [.. model.named_children().Where(c => c.name != "blocks").Select(c => c.module), .. model.Blocks.Take(residentBlocks)];
        DeviceBytes = resident.Sum(ModuleTensors.Bytes);
        StreamedBytes = model.Blocks.Skip(residentBlocks).Sum(ModuleTensors.Bytes);
        if (residentBlocks < model.Blocks.Count)
        {
            model.BeforeBlock = (index, block) => { if (index >= residentBlocks) slots.Mover.ToDevice(block); };
            model.AfterBlock = (index, block) => { if (index >= residentBlocks) slots.Mover.ToHost(block); };
        }
    }

    public string Name { get; }
    /// <summary>Blocks that stay on the device while the expert runs; the others stream.</summary>
    public int ResidentBlocks { get; }
    /// <summary>Bytes on the device while the expert is there, besides the one streamed block in flight.</summary>
    public long DeviceBytes { get; }
    /// <summary>Bytes of the streamed blocks, copied to the device on every forward.</summary>
    public long StreamedBytes { get; }
    public bool OnDevice { get; private set; }

    /// <summary>Runs a forward of this expert once the slots have put it on the device.</summary>
    public T Run<T>(Func<T> forward) => slots.Run(this, forward);

    internal void Enter()
    {
        foreach (var module in resident) slots.Mover.ToDevice(module);
        OnDevice = true;
    }

    internal void Leave()
    {
        foreach (var module in resident) slots.Mover.ToHost(module);
        OnDevice = false;
    }

    /// <summary>Everything to the host: where an expert starts, whatever device it was built on.</summary>
    internal void Park()
    {
        // Block by block: TorchSharp skips a container it believes is already on the target, whatever its children.
        foreach (var module in resident.Concat(model.Blocks.Skip(ResidentBlocks))) slots.Mover.ToHost(module);
        OnDevice = false;
    }
}

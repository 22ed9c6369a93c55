namespace Svi.Inference.Nn;

/// <summary>
/// One LoRA pair kept apart from the weight: Down (A) [r, in], Up (B) [out, r], and the factor it is applied
/// with (strength times the file format's own factor). A module of its own, with the pair as buffers, so moving its
/// layer between host and device moves the pair too. The buffers are persistent (they show in a state dict as
/// <c>…lora_adapter{i}.down/up</c>): TorchSharp 0.107 lists non-persistent buffers nowhere, so Module.to would skip them.
/// </summary>
public sealed class LoraAdapter : nn.Module
{
    // Named like their buffers: Module.to finds a moved tensor's field by that name
    readonly Tensor down;
    readonly Tensor up;

    public LoraAdapter(Tensor down, Tensor up, double scale) : base(nameof(LoraAdapter))
    {
        this.down = down;
        this.up = up;
        Scale = scale;
        register_buffer(nameof(down), down);
        register_buffer(nameof(up), up);
    }

    public Tensor Down => down;
    public Tensor Up => up;
    public double Scale { get; }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            down.Dispose();
            up.Dispose();
        }
        base.Dispose(disposing);
    }
}

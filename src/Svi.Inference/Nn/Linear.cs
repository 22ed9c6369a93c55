using Svi.Kernels.Fp8;

namespace Svi.Inference.Nn;

/// <summary>
/// The one linear layer every model in this project is built from. Its parameters are named
/// <c>weight</c> and <c>bias</c> like the checkpoints', so a state dict maps onto it unchanged.
/// How the weight is stored is decided by the weights layer, never by model code:
/// <list type="bullet">
/// <item>plain: <c>weight</c> in fp32/bf16/fp16;</item>
/// <item>FP8: <c>weight</c> holds the float8 bytes of the checkpoint and the buffer <c>scale_weight</c> its
///   per-tensor scale (the Comfy <c>*_fp8_scaled</c> layout); decoded to the input's dtype on the weight's device
///   in every forward, so only the bytes stay resident;</item>
/// <item>LoRA on the fly: low-rank pairs added to the output, x·Wᵀ + Σ s·(x·Aᵀ)·Bᵀ, never stored in W.</item>
/// </list>
/// </summary>
public class Linear : nn.Module<Tensor, Tensor>
{
    readonly List<LoraAdapter> adapters = [];

    public Linear(long inFeatures, long outFeatures, bool hasBias = true, ScalarType dtype = ScalarType.Float32)
        : base(nameof(Linear))
    {
        InFeatures = inFeatures;
        OutFeatures = outFeatures;
        PlainDType = dtype;
        weight = nn.Parameter(empty(outFeatures, inFeatures, dtype: dtype), requires_grad: false);
        bias = hasBias ? nn.Parameter(zeros(outFeatures, dtype: dtype), requires_grad: false) : null;
        RegisterComponents();
    }

    public long InFeatures { get; }
    public long OutFeatures { get; }

    /// <summary>The dtype the layer was built in (the plan's): what an FP8 weight becomes when a full diff is added to it.</summary>
    public ScalarType PlainDType { get; }

#pragma warning disable IDE1006 // names are the checkpoint's key names
    public TorchSharp.Modules.Parameter weight;
    public TorchSharp.Modules.Parameter? bias;
    // Named like its buffer: Module.to finds a moved tensor's field by that name, and a field it cannot find keeps the
    // freed original.
    Tensor? scale_weight;
#pragma warning restore IDE1006

    /// <summary>The FP8 format of the stored weight, or null when it is stored as a plain float.</summary>
    public Fp8Format? Fp8 => Fp8Formats.FromScalarType(weight.dtype);

    /// <summary>The per-tensor scale of an FP8 weight ([] float32), registered as the buffer <c>scale_weight</c>.</summary>
    public Tensor? ScaleWeight => scale_weight;

    public IReadOnlyList<LoraAdapter> Adapters => adapters;

    // x: [..., in] → [..., out]
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = nn.functional.linear(x, EffectiveWeight(x.dtype), bias is null ? null : Cast(bias, x.dtype));
        foreach (var lora in adapters)
            y = y.add_(nn.functional.linear(nn.functional.linear(x, Cast(lora.Down, x.dtype)), Cast(lora.Up, x.dtype)), alpha: lora.Scale);
        ActivationProbe.Mark();
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The weight as a [out, in] tensor of <paramref name="dtype"/> (decoded and scaled if stored as FP8). When the
    /// stored weight already has that dtype it is returned itself: do not dispose it then.
    /// </summary>
    public Tensor EffectiveWeight(ScalarType dtype)
    {
        if (Fp8 is null) return Cast(weight, dtype);
        using var scope = NewDisposeScope();
        var decoded = weight.to(dtype);
        if (scale_weight is not null) decoded = decoded.mul_(scale_weight.to(dtype));
        return decoded.MoveToOuterDisposeScope();
    }

    static Tensor Cast(Tensor t, ScalarType dtype) => t.dtype == dtype ? t : t.to(dtype);

    /// <summary>
    /// Replaces the weight by a plain tensor of the same shape (any float dtype). The tensor is adopted, not
    /// copied: the caller's handle is invalid afterwards.
    /// </summary>
    public void SetWeight(Tensor value)
    {
        RequireShape(value);
        Adopt(value);
        SetScale(null);
    }

    void Adopt(Tensor value)
    {
        var parameter = new TorchSharp.Modules.Parameter(value, requires_grad: false);
        parameter.DetachFromDisposeScope();
        ConditionallyRegisterParameter(nameof(weight), parameter);
        var replaced = weight;
        weight = parameter;
        // Free the constructor's placeholder now rather than at the next GC: for a 14B model it is the whole model.
        if (!ReferenceEquals(replaced, parameter)) replaced.Dispose();
    }

    /// <summary>
    /// Keeps the weight as FP8: <paramref name="bytes"/> is a float8 [out, in] tensor (adopted, on the device it is
    /// to be decoded on; adopted: the caller's handle is invalid afterwards) and <paramref name="scale"/> the
    /// per-tensor dequantisation scale (null: 1; copied).
    /// </summary>
    public void SetFp8Weight(Tensor bytes, Tensor? scale)
    {
        if (!Fp8Formats.IsFp8(bytes.dtype)) throw new ArgumentException($"expected a float8 tensor, got {bytes.dtype}", nameof(bytes));
        RequireShape(bytes);
        var device = bytes.device;
        var stored = scale?.to(ScalarType.Float32, device).reshape();
        Adopt(bytes);
        SetScale(stored);
    }

    void SetScale(Tensor? scale)
    {
        scale?.DetachFromDisposeScope();
        scale_weight?.Dispose();
        scale_weight = scale;
        ConditionallyRegisterBuffer(nameof(scale_weight), scale);
    }

    void RequireShape(Tensor value)
    {
        if (value.ndim != 2 || value.shape[0] != OutFeatures || value.shape[1] != InFeatures)
            throw new ArgumentException($"weight must be [{OutFeatures}, {InFeatures}], got [{string.Join(',', value.shape)}]");
    }

    /// <summary>Adds a LoRA pair applied in every forward (not stored in the weight), as a child module of this layer.</summary>
    public void AddAdapter(LoraAdapter adapter)
    {
        if (adapter.Down.shape[1] != InFeatures || adapter.Up.shape[0] != OutFeatures || adapter.Up.shape[1] != adapter.Down.shape[0])
            throw new ArgumentException($"LoRA A [{string.Join(',', adapter.Down.shape)}] / B [{string.Join(',', adapter.Up.shape)}] does not fit a [{OutFeatures}, {InFeatures}] weight");
        register_module(AdapterName(adapters.Count), adapter);
        adapters.Add(adapter);
    }

    /// <summary>Removes every on-the-fly LoRA pair.</summary>
    public void ClearAdapters()
    {
        for (int i = 0; i < adapters.Count; i++)
        {
            register_module(AdapterName(i), null!); // a null module unregisters the name
            adapters[i].Dispose();
        }
        adapters.Clear();
    }

    static string AdapterName(int index) => $"lora_adapter{index}";

    /// <summary>Adds <paramref name="delta"/> ([out, in], any dtype/device) into a plain weight in place: W ← W + delta.</summary>
    public void MergeIntoWeight(Tensor delta)
    {
        if (Fp8 is not null) throw new InvalidOperationException("an FP8 weight cannot take a merged delta; apply the LoRA on the fly");
        using var scope = NewDisposeScope();
        using (no_grad())
            weight.copy_(weight.to(ScalarType.Float32).add_(delta.to(ScalarType.Float32, weight.device)));
    }
}

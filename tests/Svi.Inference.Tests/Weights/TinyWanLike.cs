using Svi.Kernels.Fp8;
using Parameter = TorchSharp.Modules.Parameter;
using Sequential = TorchSharp.Modules.Sequential;

namespace Svi.Inference.Tests.Weights;

/// <summary>
/// A test fixture named like the Wan DiT (<c>blocks.N.self_attn.q</c>, <c>blocks.N.ffn.0</c>, <c>blocks.N.norm3</c>,
/// <c>head</c>) so the key layouts of real checkpoints can be exercised on kilobyte-sized files. Not a model.
/// </summary>
internal sealed class TinyWanLike : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    public readonly TorchSharp.Modules.ModuleList<TinyBlock> blocks;
    public readonly Linear head;
#pragma warning restore IDE1006

    public const int Dim = 8;

    public TinyWanLike(int layers = 2) : base(nameof(TinyWanLike))
    {
        blocks = new TorchSharp.Modules.ModuleList<TinyBlock>(Enumerable.Range(0, layers).Select(_ => new TinyBlock()).ToArray());
        head = new Linear(Dim, 4);
        RegisterComponents();
    }

    // x: [B, Dim] → [B, 4]
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        foreach (var block in blocks) x = block.forward(x);
        return head.forward(x).MoveToOuterDisposeScope();
    }

    /// <summary>A state dict with every tensor random (none zero), under the official names.</summary>
    public static Dictionary<string, Tensor> RandomStateDict(int layers = 2, int seed = 1)
    {
        using var model = new TinyWanLike(layers);
        var generator = new Generator((ulong)seed);
        return model.state_dict().ToDictionary(kv => kv.Key, kv => randn(kv.Value.shape, generator: generator) * 0.5f);
    }

    /// <summary>The state dict as a checkpoint whose head weight is stored as fp8 (E4M3FN), the rest as they are.</summary>
    public static List<KeyValuePair<string, Tensor>> WithFp8Head(Dictionary<string, Tensor> stateDict) =>
        stateDict.Select(kv => kv.Key == "head.weight" ? KeyValuePair.Create(kv.Key, Fp8Codec.Encode(kv.Value, Fp8Format.E4M3FN)) : kv).ToList();
}

internal sealed class TinyBlock : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    public readonly TinyAttention self_attn;
    public readonly Sequential ffn;
    public readonly Parameter norm3;
#pragma warning restore IDE1006

    public TinyBlock() : base(nameof(TinyBlock))
    {
        self_attn = new TinyAttention();
        ffn = nn.Sequential(("0", new Linear(TinyWanLike.Dim, 16)), ("1", nn.GELU()), ("2", new Linear(16, TinyWanLike.Dim)));
        norm3 = nn.Parameter(ones(TinyWanLike.Dim), requires_grad: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = self_attn.forward(x * norm3);
        return (h + ffn.forward(h)).MoveToOuterDisposeScope();
    }
}

internal sealed class TinyAttention : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006
    public readonly Linear q, k, v, o;
#pragma warning restore IDE1006

    public TinyAttention() : base(nameof(TinyAttention))
    {
        q = new Linear(TinyWanLike.Dim, TinyWanLike.Dim);
        k = new Linear(TinyWanLike.Dim, TinyWanLike.Dim);
        v = new Linear(TinyWanLike.Dim, TinyWanLike.Dim, hasBias: false);
        o = new Linear(TinyWanLike.Dim, TinyWanLike.Dim);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var mixed = q.forward(x).tanh() * k.forward(x).sigmoid() + v.forward(x);
        return o.forward(mixed).MoveToOuterDisposeScope();
    }
}

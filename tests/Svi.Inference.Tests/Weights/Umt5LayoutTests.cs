using Svi.Kernels.Fp8;

namespace Svi.Inference.Tests.Weights;

/// <summary>
/// A fixture with the parameter names of Wan's T5 encoder (<c>token_embedding</c>, <c>blocks.N.attn.q</c>,
/// <c>blocks.N.ffn.gate.0</c>, <c>blocks.N.pos_embedding.embedding</c>, <c>norm</c>). Not a model.
/// </summary>
internal sealed class TinyT5Names : nn.Module
{
#pragma warning disable IDE1006
    public readonly TorchSharp.Modules.Embedding token_embedding;
    public readonly TorchSharp.Modules.ModuleList<TinyT5Block> blocks;
    public readonly TinyT5Norm norm;
#pragma warning restore IDE1006

    public TinyT5Names() : base(nameof(TinyT5Names))
    {
        token_embedding = nn.Embedding(20, 8);
        blocks = new TorchSharp.Modules.ModuleList<TinyT5Block>(new TinyT5Block(), new TinyT5Block());
        norm = new TinyT5Norm();
        RegisterComponents();
    }
}

internal sealed class TinyT5Norm : nn.Module
{
#pragma warning disable IDE1006
    public readonly TorchSharp.Modules.Parameter weight = nn.Parameter(ones(8), requires_grad: false);
#pragma warning restore IDE1006
    public TinyT5Norm() : base(nameof(TinyT5Norm)) => RegisterComponents();
}

internal sealed class TinyT5Block : nn.Module
{
#pragma warning disable IDE1006
    public readonly TinyT5Norm norm1, norm2;
    public readonly TinyT5Attention attn;
    public readonly TinyT5Ffn ffn;
    public readonly TinyT5PosEmbedding pos_embedding;
#pragma warning restore IDE1006

    public TinyT5Block() : base(nameof(TinyT5Block))
    {
        norm1 = new TinyT5Norm();
        norm2 = new TinyT5Norm();
        attn = new TinyT5Attention();
        ffn = new TinyT5Ffn();
        pos_embedding = new TinyT5PosEmbedding();
        RegisterComponents();
    }
}

internal sealed class TinyT5Attention : nn.Module
{
#pragma warning disable IDE1006
    public readonly Linear q = new(8, 8, hasBias: false), k = new(8, 8, hasBias: false), v = new(8, 8, hasBias: false), o = new(8, 8, hasBias: false);
#pragma warning restore IDE1006
    public TinyT5Attention() : base(nameof(TinyT5Attention)) => RegisterComponents();
}

internal sealed class TinyT5Ffn : nn.Module
{
#pragma warning disable IDE1006
    public readonly TorchSharp.Modules.Sequential gate = nn.Sequential(("0", new Linear(8, 12, hasBias: false)), ("1", nn.GELU()));
    public readonly Linear fc1 = new(8, 12, hasBias: false), fc2 = new(12, 8, hasBias: false);
#pragma warning restore IDE1006
    public TinyT5Ffn() : base(nameof(TinyT5Ffn)) => RegisterComponents();
}

internal sealed class TinyT5PosEmbedding : nn.Module
{
#pragma warning disable IDE1006
    public readonly TorchSharp.Modules.Embedding embedding = nn.Embedding(32, 2);
#pragma warning restore IDE1006
    public TinyT5PosEmbedding() : base(nameof(TinyT5PosEmbedding)) => RegisterComponents();
}

public class Umt5LayoutTests
{
    static readonly Dictionary<string, string> HfName = new()
    {
        ["token_embedding.weight"] = "shared.weight",
        ["norm.weight"] = "encoder.final_layer_norm.weight",
        ["attn.q.weight"] = "layer.0.SelfAttention.q.weight",
        ["attn.k.weight"] = "layer.0.SelfAttention.k.weight",
        ["attn.v.weight"] = "layer.0.SelfAttention.v.weight",
        ["attn.o.weight"] = "layer.0.SelfAttention.o.weight",
        ["pos_embedding.embedding.weight"] = "layer.0.SelfAttention.relative_attention_bias.weight",
        ["norm1.weight"] = "layer.0.layer_norm.weight",
        ["ffn.gate.0.weight"] = "layer.1.DenseReluDense.wi_0.weight",
        ["ffn.fc1.weight"] = "layer.1.DenseReluDense.wi_1.weight",
        ["ffn.fc2.weight"] = "layer.1.DenseReluDense.wo.weight",
        ["norm2.weight"] = "layer.1.layer_norm.weight",
    };

    static string ToHf(string wanKey)
    {
        if (HfName.TryGetValue(wanKey, out var top)) return top;
        var parts = wanKey.Split('.', 3); // blocks, N, rest
        return $"encoder.block.{parts[1]}.{HfName[parts[2]]}";
    }

    [Fact]
    public void Umt5_fp8_scaled_file_with_transformers_names_loads_into_wan_t5_names()
    {
        using var dir = new TempDir();
        using var shapes = new TinyT5Names();
        var generator = new Generator(5);
        var wan = shapes.state_dict().ToDictionary(kv => kv.Key, kv => randn(kv.Value.shape, generator: generator));
        var file = new List<KeyValuePair<string, Tensor>> { KeyValuePair.Create("scaled_fp8", empty(0, dtype: SafetensorsDType.Float8E4M3FN)) };
        var expected = new Dictionary<string, Tensor>();
        foreach (var (key, value) in wan)
        {
            bool linear = key.Contains(".attn.") || key.Contains(".ffn.");
            if (!linear) { file.Add(KeyValuePair.Create(ToHf(key), value)); expected[key] = value; continue; }
            var scale = value.abs().max() / 448f;
            var f8 = Fp8Codec.Encode(value / scale, Fp8Format.E4M3FN);
            string hf = ToHf(key);
            file.Add(KeyValuePair.Create(hf, f8));
            file.Add(KeyValuePair.Create(hf[..^".weight".Length] + ".scale_weight", scale.reshape()));
            expected[key] = f8.to(ScalarType.Float32) * scale;
        }
        // A full T5 file also carries the decoder, which the encoder does not use.
        file.Add(KeyValuePair.Create("decoder.final_layer_norm.weight", randn(8)));
        SafetensorsWriter.Write(dir.File("umt5_xxl_fp8_e4m3fn_scaled.safetensors"), file);

        using var model = new TinyT5Names();
        var report = CheckpointLoader.Load(model, dir.File("umt5_xxl_fp8_e4m3fn_scaled.safetensors"));
        Assert.Equal(KeyLayout.Umt5Transformers, report.Layout);
        Assert.Equal(2 * 7, report.KeptFp8);
        using var gate = ((Linear)model.blocks[1].ffn.gate[0]).EffectiveWeight(ScalarType.Float32);
        TensorAssert.Equal(expected["blocks.1.ffn.gate.0.weight"], gate);
        using var fc1 = model.blocks[0].ffn.fc1.EffectiveWeight(ScalarType.Float32);
        TensorAssert.Equal(expected["blocks.0.ffn.fc1.weight"], fc1);
        TensorAssert.Equal(expected["blocks.1.pos_embedding.embedding.weight"], model.blocks[1].pos_embedding.embedding.weight!);
        TensorAssert.Equal(expected["token_embedding.weight"], model.token_embedding.weight!);
        TensorAssert.Equal(expected["norm.weight"], model.norm.weight);
    }
}

using Svi.Inference.Wan.Umt5;
using static TorchSharp.torch;

namespace Svi.Inference.Conformance;

/// <summary>
/// <c>umt5_encoder</c> sets: builds the encoder from config.json, loads weights.safetensors (official names), runs
/// <c>ids</c>/<c>mask</c> in float32 and compares <c>hidden</c> at every position, padding included.
/// </summary>
public sealed class Umt5EncoderConformance : IConformanceRunner
{
    public string Component => "umt5_encoder";

    public void Run(ConformanceSet set, ConformanceReport report)
    {
        var config = ConfigOf(set);
        using var encoder = new Umt5Encoder(config, ScalarType.Float32);
        Umt5CheckpointLayout.LoadInto(encoder, set.FilePath("weights.safetensors"));
        encoder.eval();

        using var scope = NewDisposeScope();
        var hidden = encoder.forward(set.Tensor("ids"), set.Tensor("mask"));
        report.Compare("hidden", hidden, set.Tensor("hidden"));
    }

    internal static Umt5Config ConfigOf(ConformanceSet set)
    {
        var c = set.Config;
        int Int(string name) => c.GetProperty(name).GetInt32();
        return new Umt5Config(
            Vocab: Int("vocab"), Dim: Int("dim"), DimAttn: Int("dim_attn"), DimFfn: Int("dim_ffn"),
            NumHeads: Int("num_heads"), NumLayers: Int("num_layers"), NumBuckets: Int("num_buckets"),
            SharedPos: c.TryGetProperty("shared_pos", out var shared) && shared.GetBoolean());
    }
}

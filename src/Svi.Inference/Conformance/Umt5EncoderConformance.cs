using Svi.Inference.Wan.Umt5;

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
        using var encoder = new Umt5Encoder(Umt5Config.FromJson(set.Config), ScalarType.Float32);
        Umt5CheckpointLayout.LoadInto(encoder, set.FilePath("weights.safetensors"));
        encoder.eval();

        using var scope = NewDisposeScope();
        var hidden = encoder.forward(set.Tensor("ids"), set.Tensor("mask"));
        report.Compare("hidden", hidden, set.Tensor("hidden"));
    }
}

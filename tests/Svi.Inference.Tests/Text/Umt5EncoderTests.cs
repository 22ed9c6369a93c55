using Svi.Inference.Wan.Umt5;

namespace Svi.Inference.Tests.Text;

public class Umt5EncoderTests
{
    [Fact]
    public void Golden_umt5_encoder_matches_reference_within_1e_4()
    {
        var report = ConformanceRunners.Run(GoldenSets.Path("umt5_encoder"), tolerance: 1e-4);
        var writer = new StringWriter();
        report.WriteTo(writer);
        Assert.True(report.Passed, writer.ToString());
    }

    [Fact]
    public void Bf16_encoder_stays_close_to_the_float32_reference()
    {
        using var set = new ConformanceSet(GoldenSets.Path("umt5_encoder"));
        using var encoder = Umt5Encoder.Load(set.FilePath("weights.safetensors"), Umt5Config.FromJson(set.Config), ScalarType.BFloat16);
        using var scope = NewDisposeScope();
        var hidden = encoder.forward(set.Tensor("ids"), set.Tensor("mask"));
        Assert.Equal(ScalarType.BFloat16, hidden.dtype);
        var reference = set.Tensor("hidden");
        // Tolerance: rel 3e-2, bf16 keeps 8 mantissa bits through every layer (the real model runs this way).
        double rel = ((hidden.to(ScalarType.Float32) - reference).norm() / reference.norm()).item<float>();
        Assert.True(rel < 3e-2, $"rel {rel}");
    }

    [Fact]
    public void Relative_position_buckets_follow_t5_bidirectional_rule()
    {
        using var bias = new Umt5RelativePositionBias(numBuckets: 32, numHeads: 1, maxDistance: 128, ScalarType.Float32);
        using var offsets = tensor(new long[] { 0, 1, 7, 8, 11, 12, 15, 16, 31, 32, 63, 64, 127, 128, 500, -1, -8, -16, -128, -500 });
        using var buckets = bias.Buckets(offsets);
        // T5 (bidirectional, 32 buckets): 16 per direction, 0…7 exact, logarithmic 8…15 up to distance 128;
        // positive offsets (key after query) use the upper half.
        long[] expected = [0, 17, 23, 24, 24, 25, 25, 26, 27, 28, 29, 30, 31, 31, 31, 1, 8, 10, 15, 15];
        Assert.Equal(expected, buckets.data<long>().ToArray());
    }

    [Fact]
    public void Shared_position_table_and_wider_attention_use_the_reference_names_and_shapes()
    {
        var config = new Umt5Config(Vocab: 30, Dim: 16, DimAttn: 24, DimFfn: 20, NumHeads: 4, NumLayers: 2, NumBuckets: 8, SharedPos: true);
        using var encoder = new Umt5Encoder(config);
        var shapes = encoder.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.shape);
        Assert.Equal(new long[] { 8, 4 }, shapes["pos_embedding.embedding.weight"]);
        Assert.DoesNotContain("blocks.0.pos_embedding.embedding.weight", shapes.Keys);
        Assert.Equal(new long[] { 24, 16 }, shapes["blocks.1.attn.q.weight"]);
        Assert.Equal(new long[] { 16, 24 }, shapes["blocks.1.attn.o.weight"]);
        Assert.Equal(new long[] { 20, 16 }, shapes["blocks.0.ffn.gate.0.weight"]);
        using (no_grad())
            foreach (var (_, p) in encoder.named_parameters()) p.copy_(randn_like(p) * 0.3);
        using var scope = NewDisposeScope();
        var ids = tensor(new long[] { 3, 4, 5, 1, 0 }).unsqueeze(0);
        var hidden = encoder.forward(ids, tensor(new long[] { 1, 1, 1, 1, 0 }).unsqueeze(0));
        Assert.Equal(new long[] { 1, 5, 16 }, hidden.shape);
        Assert.False(hidden.isnan().any().item<bool>());
    }

    [Fact]
    public void Padding_does_not_change_the_hidden_states_of_real_tokens()
    {
        var config = new Umt5Config(Vocab: 50, Dim: 16, DimAttn: 16, DimFfn: 24, NumHeads: 2, NumLayers: 2, NumBuckets: 8);
        using var encoder = new Umt5Encoder(config);
        manual_seed(7);
        using (no_grad())
            foreach (var (_, p) in encoder.named_parameters()) p.copy_(randn_like(p) * 0.3);
        using var scope = NewDisposeScope();
        var shortIds = tensor(new long[] { 5, 9, 3, 1 }).unsqueeze(0);
        var paddedIds = tensor(new long[] { 5, 9, 3, 1, 0, 0, 0 }).unsqueeze(0);
        var shortOut = encoder.forward(shortIds, ones_like(shortIds));
        var paddedOut = encoder.forward(paddedIds, tensor(new long[] { 1, 1, 1, 1, 0, 0, 0 }).unsqueeze(0));
        double rel = ((paddedOut[0, ..4] - shortOut[0]).norm() / shortOut.norm()).item<float>();
        Assert.True(rel < 1e-6, $"rel {rel}");
    }
}

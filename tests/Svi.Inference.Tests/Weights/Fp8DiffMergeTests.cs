using Svi.Inference.Weights.Random;

namespace Svi.Inference.Tests.Weights;

/// <summary>
/// A full diff (<c>.diff</c>, <c>.diff_b</c>) on a weight kept as scaled FP8: decoded, added and kept in the layer's
/// plan dtype, checked against the same sum in float64 on a tiny seeded random scaled-FP8 checkpoint (random weights).
/// </summary>
public class Fp8DiffMergeTests
{
    static readonly WanConfig Config = TinySviModels.Architecture.I2v with { NumLayers = 2 };
    static readonly string Fp8Expert = new RandomWeightsPath("fp8-diff-expert", 41, RandomStorage.Fp8Scaled).ToString();
    const double Strength = 0.75;

    static Linear LinearAt(nn.Module model, string path) =>
        (Linear)model.named_modules().Single(m => m.name == path).module;

    [Theory]
    [InlineData("head.head", ScalarType.Float32)]
    [InlineData("blocks.0.self_attn.q", ScalarType.BFloat16)]
    public void A_diff_on_an_fp8_scaled_weight_merges_in_the_plan_dtype_as_a_float64_sum_does(string path, ScalarType planDType)
    {
        using var dir = new TempDir();
        using var model = SviModelLoader.LoadExpert(Config, Fp8Expert, [], ScalarType.BFloat16, CPU, decodeFp8: false);
        var layer = LinearAt(model, path);
        Assert.NotNull(layer.Fp8);
        Assert.NotNull(layer.ScaleWeight);

        using var generator = new Generator(7);
        using var diff = randn([layer.OutFeatures, layer.InFeatures], generator: generator) * 0.05f;
        using var diffBias = randn([layer.OutFeatures], generator: generator) * 0.05f;
        using var decoded64 = layer.weight.to(ScalarType.Float64) * layer.ScaleWeight!.to(ScalarType.Float64);
        using var expected = (decoded64 + Strength * diff.to(ScalarType.Float64)).to(planDType).to(ScalarType.Float64);
        using var bias64 = layer.bias!.to(ScalarType.Float64);
        using var expectedBias = (bias64 + Strength * diffBias.to(ScalarType.Float64)).to(ScalarType.Float64);
        SafetensorsWriter.Write(dir.File("diff.safetensors"),
            [KeyValuePair.Create($"diffusion_model.{path}.diff", diff), KeyValuePair.Create($"diffusion_model.{path}.diff_b", diffBias)]);

        var fit = Lora.Apply(model, dir.File("diff.safetensors"), Strength, LoraMode.Merge);

        Assert.Equal(2, fit.Diffs.Count);
        Assert.Null(layer.Fp8);
        Assert.Null(layer.ScaleWeight);
        Assert.Equal(planDType, layer.weight.dtype);
        // The merge sums in float32 (decoded weight, scaled diff, their sum: a few float32 roundings of the operands),
        // then rounds once to the plan dtype (bf16: one ulp of the result; float32: nothing more).
        double ulp = planDType == ScalarType.BFloat16 ? Math.Pow(2, -7) : 0;
        using var actual = layer.weight.to(ScalarType.Float64);
        using var operands = decoded64.abs() + Strength * diff.to(ScalarType.Float64).abs();
        using var allowed = expected.abs() * ulp + operands * Math.Pow(2, -21) + 1e-12;
        Assert.True((actual - expected).abs().le(allowed).all().item<bool>(),
            $"max difference {(actual - expected).abs().max().item<double>():E2}");
        using var actualBias = layer.bias!.to(ScalarType.Float64);
        double biasUlp = layer.bias!.dtype == ScalarType.BFloat16 ? Math.Pow(2, -7) : Math.Pow(2, -21);
        Assert.True(actualBias.allclose(expectedBias, rtol: biasUlp, atol: 1e-7), "bias = b + strength · diff_b");
    }

    [Fact]
    public void A_model_with_a_decoded_fp8_layer_still_runs_a_forward()
    {
        using var dir = new TempDir();
        using var model = SviModelLoader.LoadExpert(Config, Fp8Expert, [], ScalarType.BFloat16, CPU, decodeFp8: false);
        var head = LinearAt(model, "head.head");
        using var diff = zeros([head.OutFeatures, head.InFeatures]);
        SafetensorsWriter.Write(dir.File("zero.safetensors"), [KeyValuePair.Create("head.head.diff", diff)]);
        using var x = randn([1, Config.InDim, 1, 4, 4], generator: new Generator(3));
        using var t = full(1, 500f);
        using var context = randn([1, Config.TextLen, Config.TextDim], generator: new Generator(4));
        using var before = model.Forward(x, t, context);

        Lora.Apply(model, dir.File("zero.safetensors"), 1.0, LoraMode.Merge);

        using var after = model.Forward(x, t, context);
        // A zero diff decodes the head and changes nothing but its storage: same output to float32 rounding.
        Assert.True(after.allclose(before, rtol: 1e-5, atol: 1e-6), "a zero diff keeps the output");
    }
}

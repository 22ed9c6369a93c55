using Svi.Inference.Sampling;

namespace Svi.Inference.Tests.Pipeline;

/// <summary>
/// The loader merges every LoRA at the strength the choice carries (the deployment's where it carries none), on the tiny
/// model set in the published LoRA key forms.
/// </summary>
public sealed class LoraStrengthsAtLoadTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("svi-lora-strengths-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    static SviModelChoice Distilled(ModelRole role, double strength) =>
        new(SviMode.ImageToVideo, SviRecipe.Distilled, Hd: false, Loras: new([new(role, strength)]));

    static IVelocityModel ExpertOf(SviModelSet set, ModelRole role) =>
        role is ModelRole.LoraHigh or ModelRole.DistillLoraHigh ? set.Experts.High : set.Experts.Low;

    static Dictionary<string, Tensor> Weights(IVelocityModel expert) =>
        ((WanVelocityModel)expert).Transformer.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.to(ScalarType.Float32));

    [Theory]
    [InlineData(ModelRole.LoraHigh, 0.8)]
    [InlineData(ModelRole.LoraLow, 2.5)]
    [InlineData(ModelRole.DistillLoraHigh, 3.0)]
    [InlineData(ModelRole.DistillLoraLow, 0.25)]
    public void Each_lora_changes_its_expert_in_proportion_to_the_strength_the_choice_carries(ModelRole role, double strength)
    {
        var files = TinySviModels.Write(directory);
        var loader = new SviModelLoader(TinySviModels.Architecture, ScalarType.Float32, CPU);
        using var none = loader.Load(files, Distilled(role, 0));
        using var full = loader.Load(files, Distilled(role, 1));
        using var asked = loader.Load(files, Distilled(role, strength));

        using var scope = NewDisposeScope();
        var (w0, w1, ws) = (Weights(ExpertOf(none, role)), Weights(ExpertOf(full, role)), Weights(ExpertOf(asked, role)));
        Assert.Contains(w0.Keys, key => !w1[key].allclose(w0[key], rtol: 0, atol: 1e-6));
        // float32 merges of rank-4 products on weights of scale ~1: 1e-5 absolute covers the rounding.
        foreach (var key in w0.Keys)
            Assert.True((ws[key] - w0[key]).allclose(strength * (w1[key] - w0[key]), rtol: 0, atol: 1e-5),
                $"{key}: W(s) − W(0) is not s·(W(1) − W(0))");
    }

    [Fact]
    public void The_svi_high_lora_at_strength_s_adds_exactly_s_b_a_and_a_choice_without_strengths_gets_the_deployments()
    {
        var files = TinySviModels.Write(directory);
        var options = new InferenceOptions { LoraHighStrength = 0.6 };
        var loader = SviModelLoader.From(options, TinySviModels.Architecture, ScalarType.Float32, () => SviPlacement.On(CPU));
        var reference = new SviModelChoice(SviMode.ImageToVideo, SviRecipe.Reference, Hd: false);
        using var zero = loader.Load(files, reference with { Loras = new([new(ModelRole.LoraHigh, 0)]) });
        using var asked = loader.Load(files, reference with { Loras = new([new(ModelRole.LoraHigh, 1.7)]) });
        using var deployment = loader.Load(files, reference);

        using var scope = NewDisposeScope();
        const string layer = "blocks.0.self_attn.q";
        using var lora = SafetensorsFile.Open(files.Get(ModelRole.LoraHigh)[0]);
        var a = lora.Read($"{layer}.lora_A.default.weight").to(ScalarType.Float32);
        var b = lora.Read($"{layer}.lora_B.default.weight").to(ScalarType.Float32);
        var w0 = Weights(zero.Experts.High)[$"{layer}.weight"];
        Assert.True(Weights(asked.Experts.High)[$"{layer}.weight"].allclose(w0 + 1.7 * b.matmul(a), rtol: 0, atol: 1e-5), "W + 1.7·B·A");
        Assert.True(Weights(deployment.Experts.High)[$"{layer}.weight"].allclose(w0 + 0.6 * b.matmul(a), rtol: 0, atol: 1e-5),
            "no strengths in the choice: Svi:Inference:LoraHighStrength");
    }

    [Fact]
    public void A_spec_reaches_the_choice_with_its_strengths_and_one_without_gets_the_deployments_for_its_recipe()
    {
        var defaults = SviDefaults.From(new InferenceOptions { LoraLowStrength = 0.9, Distilled = { DistillHighStrength = 0.5 } });
        var spec = TestSpecs.Tiny() with { Recipe = SviRecipe.Distilled, LoraStrengths = new([new(ModelRole.LoraHigh, 2.0)]) };

        Assert.Equal(spec.LoraStrengths, SviModelChoice.For(spec).Loras);
        Assert.Equal(new LoraStrengths([new(ModelRole.LoraHigh, 2.0), new(ModelRole.LoraLow, 0.9),
            new(ModelRole.DistillLoraHigh, 0.5), new(ModelRole.DistillLoraLow, 1.0)]), SviModelChoice.For(spec, defaults).Loras);
        Assert.Equal(new LoraStrengths([new(ModelRole.LoraHigh, 1.0), new(ModelRole.LoraLow, 0.9)]),
            SviModelChoice.For(spec with { Recipe = SviRecipe.Reference, LoraStrengths = null }, defaults).Loras);
    }
}

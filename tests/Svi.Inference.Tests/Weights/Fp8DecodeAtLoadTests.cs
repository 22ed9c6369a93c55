using Svi.Inference.Weights.Random;
using Xunit.Abstractions;

namespace Svi.Inference.Tests.Weights;

/// <summary>
/// FP8 experts decoded once at load (LoRAs merged) against FP8 kept and decoded in every forward (LoRAs on the fly), on
/// tiny seeded random scaled-FP8 checkpoints (random weights, not a published model).
/// </summary>
public class Fp8DecodeAtLoadTests(ITestOutputHelper output)
{
    static readonly WanConfig Config = TinySviModels.Architecture.I2v with { NumLayers = 2 };
    static readonly string Fp8Expert = new RandomWeightsPath("fp8-expert", 31, RandomStorage.Fp8Scaled).ToString();
    static readonly string Bf16Expert = new RandomWeightsPath("fp8-expert", 31, RandomStorage.BFloat16).ToString();
    static readonly string LoraA = new RandomWeightsPath("lora-a", 32, RandomStorage.BFloat16, Lora: true, Rank: 4).ToString();
    static readonly string LoraB = new RandomWeightsPath("lora-b", 33, RandomStorage.BFloat16, Lora: true, Rank: 8).ToString();
    // One bf16 rounding step (2⁻⁸): the two paths round the decoded weights, the merge and the activations in different
    // orders (measured: 6e-5 without LoRAs, 5e-4 with them).
    const double Bf16Tolerance = 4e-3;

    static WanTransformer Load(bool decode, params (string Path, double Strength)[] loras) =>
        SviModelLoader.LoadExpert(Config, Fp8Expert, loras, ScalarType.BFloat16, CPU, decode);

    static IReadOnlyList<Linear> Linears(nn.Module model) => [.. model.modules().OfType<Linear>()];

    // Made outside any dispose scope, so a meter counts only what a forward allocates.
    sealed class Inputs : IDisposable
    {
        readonly Generator generator = new(5);
        public Tensor X { get; }
        public Tensor T { get; } = full(1, 600f);
        public Tensor Context { get; }

        public Inputs()
        {
            X = randn([1, Config.InDim, 3, 8, 8], generator: generator);
            Context = randn([1, Config.TextLen, Config.TextDim], generator: generator);
        }

        public Tensor Run(WanTransformer model) => model.Forward(X, T, Context);

        public void Dispose()
        {
            X.Dispose();
            T.Dispose();
            Context.Dispose();
            generator.Dispose();
        }
    }

    static double RelativeError(Tensor actual, Tensor expected)
    {
        using var scope = NewDisposeScope();
        return (actual - expected).norm().item<float>() / expected.norm().item<float>();
    }

    [Fact]
    public void Decoded_at_load_gives_the_output_of_fp8_decoded_in_every_forward()
    {
        using var inputs = new Inputs();
        using var decoded = Load(decode: true);
        using var perForward = Load(decode: false);
        Assert.All(Linears(decoded), l => Assert.Null(l.Fp8));
        Assert.Contains(Linears(perForward), l => l.Fp8 is not null);

        using var a = inputs.Run(decoded);
        using var b = inputs.Run(perForward);
        double error = RelativeError(a, b);
        output.WriteLine($"decoded at load vs per forward: relative error {error:E2}");
        Assert.True(error < Bf16Tolerance, $"relative error {error}");
    }

    [Fact]
    public void Loras_merged_into_decoded_fp8_equal_the_same_loras_on_the_fly()
    {
        using var inputs = new Inputs();
        (string, double)[] loras = [(LoraA, 1.0), (LoraB, 0.7)];
        using var merged = Load(decode: true, loras);
        using var onTheFly = Load(decode: false, loras);
        using var plain = Load(decode: true);
        Assert.All(Linears(merged), l => Assert.Empty(l.Adapters));
        Assert.Contains(Linears(onTheFly), l => l.Adapters.Count == 2);

        using var withMerged = inputs.Run(merged);
        using var withOnTheFly = inputs.Run(onTheFly);
        using var without = inputs.Run(plain);
        double error = RelativeError(withMerged, withOnTheFly), effect = RelativeError(withOnTheFly, without);
        output.WriteLine($"merged vs on the fly: relative error {error:E2}; the LoRAs change the output by {effect:E2}");
        Assert.True(error < Bf16Tolerance, $"relative error {error}");
        // The LoRAs' effect is well above the tolerance, so agreeing on it means both applied the same update.
        Assert.True(effect > 10 * error, $"LoRA effect {effect} vs error {error}");
    }

    [Fact]
    public void Decoded_weights_take_exactly_the_bytes_of_bf16_weights_and_forwards_stay_flat()
    {
        using var inputs = new Inputs();
        using var decoded = Load(decode: true, (LoraA, 1.0));
        using var bf16 = SviModelLoader.LoadExpert(Config, Bf16Expert, [(LoraA, 1.0)], ScalarType.BFloat16, CPU);
        using var perForward = Load(decode: false, (LoraA, 1.0));
        // No FP8 bytes, scales or LoRA pairs stay behind once decoded and merged.
        Assert.Equal(ModuleTensors.Bytes(bf16), ModuleTensors.Bytes(decoded));
        Assert.True(ModuleTensors.Bytes(perForward) < ModuleTensors.Bytes(decoded));

        long Peak(WanTransformer model)
        {
            using var meter = LiveTensorMeter.Start();
            inputs.Run(model).Dispose();
            return meter.PeakBytes;
        }
        inputs.Run(decoded).Dispose(); // the RoPE grid is cached on the first forward, not an activation
        inputs.Run(perForward).Dispose();
        long first = Peak(decoded), second = Peak(decoded), third = Peak(decoded), fp8 = Peak(perForward);
        output.WriteLine($"peak live bytes per forward: decoded {first}, {second}, {third}; FP8 decoded per forward {fp8}");
        Assert.Equal(first, second);
        Assert.Equal(first, third);
        // Decoding per forward holds a decoded copy of the layer's weight beside the activations.
        Assert.True(first <= fp8, $"decoded {first} > per forward {fp8}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_model_loader_decodes_fp8_experts_exactly_when_the_placement_says_so(bool decode)
    {
        var files = RandomModelFiles.For("fp8", TinySviModels.Architecture);
        var loader = new SviModelLoader(TinySviModels.Architecture, ScalarType.BFloat16,
            () => SviPlacement.On(CPU) with { DecodeFp8 = decode });

        using var set = loader.Load(files, new SviModelChoice(SviMode.ImageToVideo, SviRecipe.Distilled, Hd: false));

        foreach (var expert in new[] { set.Experts.High, set.Experts.Low })
        {
            var linears = Linears(((WanVelocityModel)expert).Transformer);
            Assert.Equal(decode, linears.All(l => l.Fp8 is null));
            // SVI and distill LoRAs: merged into decoded weights, on the fly over FP8 ones
            Assert.Equal(decode, linears.All(l => l.Adapters.Count == 0));
        }
    }

    static readonly ComputeDevice Cpu = new("cpu", null, null, null, "test CPU");

    [Fact]
    public void A_cpu_plan_from_random_fp8_weights_decodes_them_and_the_placement_carries_it()
    {
        var files = RandomModelFiles.For("fp8", TinySviModels.Architecture);
        var weights = WeightFootprint.FromFiles(files);
        Assert.True(weights.HasFp8Experts);
        Assert.True(weights.DecodedExpertBytes > weights.ExpertBytes);
        // At A14B nearly every byte of an expert is in its linears, which take two bytes a weight once decoded.
        var a14b = RandomWeightFootprint.For(SviArchitecture.Wan22A14B, fp8: true, RandomModelFiles.LoraRank);
        Assert.InRange(a14b.DecodedExpertBytes!.Value, 1.95 * a14b.ExpertBytes, 2.0 * a14b.ExpertBytes);

        var plan = MemoryPlanner.ForCpu(hostAvailableBytes: 1L << 34, weights);
        Assert.Equal(Fp8Experts.DecodedAtLoad, plan.Fp8);
        var placement = SviPlacement.From(new RuntimePlan(Cpu, plan));
        Assert.True(placement.DecodeFp8);
        Assert.False(SviPlacement.From(new RuntimePlan(Cpu,
            MemoryPlanner.ForCpu(hostAvailableBytes: weights.ExpertBytes, weights))).DecodeFp8);
    }
}

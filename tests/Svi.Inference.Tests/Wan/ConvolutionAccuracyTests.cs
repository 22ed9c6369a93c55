using Svi.Inference.Wan.Dit;
using Svi.Inference.Wan.Vae;
using TorchSharp;
using Xunit.Abstractions;

namespace Svi.Inference.Tests.Wan;

/// <summary>
/// Every convolution path of the DiT and the VAEs, at the real models' channel counts, in fp32 and bf16 against the
/// same module in float64 (libtorch's own float64 convolution, which oneDNN does not serve). libtorch 2.10's oneDNN
/// kernels are wrong on AVX-512 BF16 CPUs for some channel counts (docs/libtorch-onednn-conv.md); these cases are the
/// ones the models run, so a path that falls back onto a broken kernel fails here.
/// </summary>
public class ConvolutionAccuracyTests(ITestOutputHelper output)
{
    // Tolerances: fp32 agrees with float64 to rounding (≈ 1e-7 measured, bar 1e-5). bf16 rounds inputs and weights to 8
    // mantissa bits (≈ 2e-3 measured for one layer, bar 2e-2); the broken kernels are off by 0.1–0.3 or give NaN.
    const double Fp32Bar = 1e-5, Bf16Bar = 2e-2;

    public static TheoryData<string, int, int, int> PatchEmbeddings => new()
    {
        // name, input channels, dim, latent frames; the grid is 416×240 pixels (30×52 latent cells)
        { "I2V A14B (36 channels)", 36, 512, 21 },
        { "T2V A14B (16 channels)", 16, 512, 21 },
        { "TI2V 5B (48 channels)", 48, 512, 21 },
    };

    [Theory]
    [MemberData(nameof(PatchEmbeddings))]
    public void Patch_embedding_matches_a_float64_convolution(string name, int inChannels, int dim, int frames)
    {
        using var scope = NewDisposeScope();
        using var embedding = new PatchEmbedding(inChannels, dim, [1, 2, 2], ScalarType.Float32);
        Randomise(embedding);
        var x = randn([1, inChannels, frames, 30, 52]);
        var parameters = embedding.parameters().ToArray();
        var reference = nn.functional.conv3d(x.to(ScalarType.Float64), parameters[0].to(ScalarType.Float64), parameters[1].to(ScalarType.Float64),
            strides: [1, 2, 2]).flatten(2).transpose(1, 2);

        var fp32 = embedding.Forward(x).Tokens;
        embedding.to(ScalarType.BFloat16);
        var bf16 = embedding.Forward(x.to(ScalarType.BFloat16)).Tokens;
        Check(name, fp32, bf16, reference);
    }

    public static TheoryData<string, int, int, int, int, int, int, int, int> CausalConvolutions => new()
    {
        // name, in, out, kernel (t, h/w), temporal stride, frames, height, width
        { "Wan 2.1 encoder conv1", 3, 96, 3, 3, 1, 3, 48, 64 },
        { "Wan 2.1 encoder 96→192", 96, 192, 3, 3, 1, 3, 24, 32 },
        { "Wan 2.1 encoder 384→384", 384, 384, 3, 3, 1, 2, 12, 16 },
        { "Wan 2.1 encoder head (z·2)", 384, 32, 3, 3, 1, 2, 12, 16 },
        { "Wan 2.1 latent conv1 1×1×1", 32, 32, 1, 1, 1, 2, 30, 52 },
        { "Wan 2.1 latent conv2 1×1×1", 16, 16, 1, 1, 1, 2, 30, 52 },
        { "Wan 2.1 decoder conv1", 16, 384, 3, 3, 1, 2, 15, 26 },
        { "Wan 2.1 decoder shortcut 384→192", 384, 192, 1, 1, 1, 2, 24, 32 },
        { "Wan 2.1 decoder head", 96, 3, 3, 3, 1, 3, 48, 64 },
        { "Wan 2.1 upsample time_conv", 384, 768, 3, 1, 1, 2, 12, 16 },
        { "Wan 2.1 downsample time_conv", 384, 384, 3, 1, 2, 3, 12, 16 },
        { "Wan 2.2 encoder conv1 (patchified)", 12, 160, 3, 3, 1, 3, 24, 32 },
        { "Wan 2.2 encoder head (z·2)", 640, 96, 3, 3, 1, 2, 8, 12 },
        { "Wan 2.2 decoder conv1", 48, 1024, 3, 3, 1, 2, 8, 12 },
        { "Wan 2.2 decoder head (patchified)", 256, 12, 3, 3, 1, 3, 24, 32 },
        { "golden vae21 (8 channels)", 8, 8, 3, 3, 1, 3, 16, 16 },
        // The tiny random architecture's full-resolution layers: folded (SpaceToDepthConvolution) or pointwise
        { "tiny encoder conv1 3→4", 3, 4, 3, 3, 1, 3, 48, 64 },
        { "tiny decoder residual 2→4", 2, 4, 3, 3, 1, 3, 48, 64 },
        { "tiny decoder residual 4→4", 4, 4, 3, 3, 1, 3, 48, 64 },
        { "tiny decoder head 4→3", 4, 3, 3, 3, 1, 3, 48, 64 },
        { "tiny decoder shortcut 2→4", 2, 4, 1, 1, 1, 2, 48, 64 },
        { "tiny 4→4 on an odd grid (padded, not folded)", 4, 4, 3, 3, 1, 3, 15, 25 },
    };

    [Theory]
    [MemberData(nameof(CausalConvolutions))]
    public void Causal_convolution_matches_float64(string name, int inChannels, int outChannels, int kernelT, int kernelHw,
        int strideT, int frames, int height, int width)
    {
        using var scope = NewDisposeScope();
        long pad = kernelHw / 2;
        using var conv = new CausalConv3d(inChannels, outChannels, (kernelT, kernelHw, kernelHw), stride: (strideT, 1, 1),
            padding: (strideT == 1 ? kernelT / 2 : 0, pad, pad));
        var x = randn([1, inChannels, frames, height, width]);
        CompareModule(name, conv, m => m.forward(x.to(m.weight.dtype), null));
    }

    public static TheoryData<string, int, int, string> Resamples => new()
    {
        { "Wan 2.1 downsample 2-D conv 96", 96, 0, "down" },
        { "Wan 2.1 downsample 2-D conv 384", 384, 0, "down" },
        { "Wan 2.1 upsample 2-D conv 384→192", 384, 192, "up" },
        { "Wan 2.1 upsample 2-D conv 192→96", 192, 96, "up" },
        { "Wan 2.2 upsample 2-D conv 1024", 1024, 1024, "up" },
        { "golden vae21 upsample 16→8", 16, 8, "up" },
        { "tiny upsample 2-D conv 4→2", 4, 2, "up" },
    };

    [Theory]
    [MemberData(nameof(Resamples))]
    public void Resample_convolution_matches_float64(string name, int dim, int upsampleOut, string direction)
    {
        using var scope = NewDisposeScope();
        using var resample = direction == "up" ? new Resample(dim, ResampleMode.Upsample2d, upsampleOut) : new Resample(dim, ResampleMode.Downsample2d);
        long side = dim >= 1024 ? 6 : dim >= 384 ? 12 : 24;
        var x = randn([1, dim, 2, side, side + 4]);
        CompareModule(name, resample, m => m.forward(x.to(m.parameters().First().dtype), null));
    }

    [Theory]
    [InlineData("Wan 2.1 middle attention 384", 384)]
    [InlineData("tiny middle attention 4", 4)]
    public void Vae_attention_pointwise_convolutions_match_float64(string name, int channels)
    {
        using var scope = NewDisposeScope();
        using var attention = new AttentionBlock(channels);
        var x = randn([1, channels, 1, 12, 16]);
        CompareModule(name, attention, m => m.forward(x.to(m.parameters().First().dtype), null));
    }

    [Fact]
    public void Only_narrow_convolutions_on_even_grids_are_folded()
    {
        using var scope = NewDisposeScope();
        bool Folded(long inChannels, long outChannels, long height, long width) => SpaceToDepthConvolution.IsCheaper(
            empty([1, inChannels, 3, height, width]), empty([outChannels, inChannels, 3, 3, 3]), [1, 1, 1], [0, 1, 1],
            ChannelAlignedConvolution.Alignment);

        Assert.True(Folded(4, 4, 480, 832));
        Assert.True(Folded(2, 4, 480, 832));
        Assert.True(Folded(4, 3, 480, 832));
        Assert.True(Folded(3, 4, 480, 832));
        Assert.False(Folded(4, 4, 479, 832));
        // A14B's RGB ends: folding 3 ↔ 96 channels costs what padding does, so they keep the plain path.
        Assert.False(Folded(96, 3, 480, 832));
        Assert.False(Folded(3, 96, 480, 832));
        Assert.False(SpaceToDepthConvolution.IsCheaper(empty([1, 4, 3, 48, 64]), empty([4, 4, 3, 3, 3]), [1, 2, 2], [0, 1, 1],
            ChannelAlignedConvolution.Alignment));
        Assert.True(PointwiseConvolution.Applies(empty([4, 2, 1, 1, 1]), [1, 1, 1], [0, 0, 0]));
        Assert.False(PointwiseConvolution.Applies(empty([4, 2, 3, 1, 1]), [1, 1, 1], [1, 0, 0]));
    }

    void CompareModule<T>(string name, T module, Func<T, Tensor> run) where T : nn.Module
    {
        Randomise(module);
        var fp32 = run(module);
        module.to(ScalarType.Float64);
        var reference = run(module);
        module.to(ScalarType.BFloat16);
        var bf16 = run(module);
        Check(name, fp32, bf16, reference);
    }

    void Check(string name, Tensor fp32, Tensor bf16, Tensor reference)
    {
        double fp32Error = RelativeError(fp32, reference), bf16Error = RelativeError(bf16, reference);
        output.WriteLine($"{name}: fp32 rel {fp32Error:E2}, bf16 rel {bf16Error:E2}");
        Assert.True(fp32Error <= Fp32Bar, $"{name}: fp32 rel {fp32Error:E2} against float64");
        Assert.True(bf16Error <= Bf16Bar, $"{name}: bf16 rel {bf16Error:E2} against float64");
    }

    static void Randomise(nn.Module module)
    {
        var generator = new Generator(5);
        using (no_grad())
        {
            foreach (var p in module.parameters())
            {
                long fanIn = p.dim() > 1 ? p.numel() / p.shape[0] : 1;
                p.normal_(0, p.dim() > 1 ? 1 / Math.Sqrt(fanIn) : 0.1, generator);
            }
        }
    }

    static double RelativeError(Tensor ours, Tensor reference)
    {
        using var scope = NewDisposeScope();
        var a = ours.to(ScalarType.Float64);
        var b = reference.to(ScalarType.Float64);
        double error = (a - b).norm().item<double>() / b.norm().item<double>();
        return double.IsNaN(error) ? double.PositiveInfinity : error;
    }
}

using Svi.Server.Contracts;

namespace Svi.Server.Tests.Api;

/// <summary>The sizes a deployment renders follow from its architecture's numbers: VAE stride × DiT patch divides width and height.</summary>
public sealed class DeploymentResolutionsTests
{
    [Fact]
    public void Published_a14b_renders_all_four_sizes_in_multiples_of_16()
    {
        var a14b = DeploymentResolutions.For(SviArchitecture.Wan22A14B, new InferenceOptions());
        Assert.Equal(Resolutions.Buckets, a14b.Supported);
        Assert.Equal((16, 16), (SviArchitecture.Wan22A14B.WidthMultiple, SviArchitecture.Wan22A14B.HeightMultiple));
        Assert.Null(a14b.WhyNot(1280, 720));
    }

    [Fact]
    public void Tiny_renders_only_the_480p_pair_because_a_720p_latent_grid_is_90_cells_high()
    {
        var options = new InferenceOptions { Weights = InferenceOptions.RandomWeights };
        var tiny = DeploymentResolutions.For(ModelArchitectures.For(options), options);
        Assert.Equal(["832x480", "480x832"], tiny.Supported);
        Assert.Equal("1280x720 cannot be rendered by this deployment's tiny random-weight architecture " +
                     "(its 4×4 patches need width and height multiples of 32); use 832x480 or 480x832", tiny.WhyNot(1280, 720));
        Assert.Null(tiny.WhyNot(64, 32));
    }

    [Fact]
    public void Oblong_patches_give_separate_width_and_height_multiples()
    {
        var tiny = ModelArchitectures.TinyArchitecture;
        var oblong = tiny with { I2v = tiny.I2v with { PatchSize = [1, 2, 4] }, T2v = tiny.T2v with { PatchSize = [1, 2, 4] } };
        var sizes = new DeploymentResolutions(oblong, "oblong architecture");
        Assert.Equal(["832x480", "480x832", "1280x720"], sizes.Supported);
        Assert.Contains("(its 2×4 patches need a width that is a multiple of 32 and a height that is a multiple of 16)", sizes.WhyNot(720, 1280));
    }

    [Fact]
    public void Both_experts_must_tile_the_grid()
    {
        var a14b = SviArchitecture.Wan22A14B;
        var mixed = a14b with { T2v = a14b.T2v with { PatchSize = [1, 4, 4] } };
        Assert.Equal((32, 32), (mixed.WidthMultiple, mixed.HeightMultiple));
        Assert.False(mixed.CanRender(1280, 720));
    }
}

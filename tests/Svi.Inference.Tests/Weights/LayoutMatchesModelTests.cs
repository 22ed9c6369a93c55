using Svi.Inference.Wan.Umt5;
using Svi.Inference.Wan.Vae;
using Svi.Inference.Weights.Layouts;

namespace Svi.Inference.Tests.Weights;

/// <summary>The header tables verify uses are the model code's own parameter names and shapes.</summary>
public class LayoutMatchesModelTests
{
    // Same structure as A14B, small enough to build: 96 wide, 2 heads of 48, 2 blocks.
    static readonly WanConfig Small = WanConfig.I2vA14B with { Dim = 96, FfnDim = 160, TextDim = 32, NumHeads = 2, NumLayers = 2 };
    static readonly Umt5Config SmallUmt5 = Umt5Config.Xxl with { Vocab = 64, Dim = 32, DimAttn = 32, DimFfn = 48, NumHeads = 4, NumLayers = 2, NumBuckets = 8 };

    [Theory]
    [InlineData(36)]
    [InlineData(16)]
    public void The_dit_table_equals_WanTransformers_named_parameters(int inDim)
    {
        var config = Small with { InDim = inDim };
        using var model = new WanTransformer(config);
        var fromModel = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        var table = WanDitLayout.Tensors(config);
        Assert.Equal(fromModel.Keys.Order(StringComparer.Ordinal), table.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, shape) in table) Assert.True(shape.SequenceEqual(fromModel[key]), $"{key}: table [{string.Join(", ", shape)}], model [{string.Join(", ", fromModel[key])}]");
    }

    [Fact]
    public void The_umt5_table_equals_Umt5Encoders_named_parameters()
    {
        using var model = new Umt5Encoder(SmallUmt5);
        var fromModel = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        var table = Umt5EncoderLayout.Tensors(SmallUmt5);
        Assert.Equal(fromModel.Keys.Order(StringComparer.Ordinal), table.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, shape) in table) Assert.True(shape.SequenceEqual(fromModel[key]), key);
    }

    [Fact]
    public void A_hugging_face_named_umt5_file_fits_the_table_through_the_loaders_key_layout()
    {
        var file = Umt5TransformersNames.Renamed(Umt5EncoderLayout.Tensors(SmallUmt5));
        var layout = Umt5EncoderLayout.Layout(SmallUmt5);
        var moduleKeys = layout.Tensors.Keys.ToHashSet(StringComparer.Ordinal);
        Assert.Equal(KeyLayout.Umt5Transformers, KeyLayout.Detect(file.Keys, moduleKeys, layout.KeyLayouts));
        var match = CheckpointKeyMatch.Of(file.Keys, moduleKeys, KeyLayout.Umt5Transformers, ignoreForeignKeys: false);
        Assert.Empty(match.Missing);
        Assert.Empty(match.Unexpected);
        foreach (var (moduleKey, fileKey) in match.ByModuleKey) Assert.True(file[fileKey].SequenceEqual(layout.Tensors[moduleKey]), fileKey);
    }

    [Fact]
    public void The_vae_anchors_are_WanVae21_parameters_with_their_shapes()
    {
        var config = WanVaeConfig.Wan21 with { Dim = 8, DecoderDim = 8, ZDim = 4, Mean = new float[4], Std = [1, 1, 1, 1] };
        using var vae = new WanVae(config);
        var fromModel = vae.state_dict().ToDictionary(p => p.Key, p => p.Value.shape);
        foreach (var (key, shape) in WanVaeLayout.Tensors(config))
        {
            Assert.True(fromModel.ContainsKey(key), $"{key} is not a WanVae parameter");
            Assert.True(shape.SequenceEqual(fromModel[key]), $"{key}: table [{string.Join(", ", shape)}], model [{string.Join(", ", fromModel[key])}]");
        }
    }
}

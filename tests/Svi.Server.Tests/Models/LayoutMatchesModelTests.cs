using Svi.Inference.Wan;
using Svi.Inference.Wan.Umt5;
using Svi.Inference.Weights;
using Svi.Server.Models.Layouts;

namespace Svi.Server.Tests.Models;

/// <summary>The header tables verify uses are the model code's own parameter names and shapes.</summary>
public class LayoutMatchesModelTests
{
    // Same structure as A14B, small enough to build: 96 wide, 2 heads of 48, 2 blocks.
    static readonly WanConfig Small = WanConfig.I2vA14B with { Dim = 96, FfnDim = 160, TextDim = 32, NumHeads = 2, NumLayers = 2 };

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
    public void The_umt5_table_maps_onto_Umt5Encoders_named_parameters()
    {
        var config = Umt5Config.Xxl with { Vocab = 64, Dim = 32, DimAttn = 32, DimFfn = 48, NumHeads = 4, NumLayers = 2, NumBuckets = 8 };
        using var model = new Umt5Encoder(config);
        var fromModel = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        var mapped = Umt5EncoderLayout.Tensors(config).ToDictionary(kv => KeyLayout.Umt5Transformers.ToModuleKey(kv.Key)
            ?? throw new InvalidOperationException($"{kv.Key} maps to nothing"), kv => kv.Value);
        Assert.Equal(fromModel.Keys.Order(StringComparer.Ordinal), mapped.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, shape) in mapped) Assert.True(shape.SequenceEqual(fromModel[key]), key);
    }
}

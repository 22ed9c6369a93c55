using Svi.Inference.Wan;
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
}

using System.Reflection;
using Svi.Inference.Wan.Umt5;
using TorchSharp;

namespace Svi.Inference.Tests.Wan;

/// <summary>
/// TorchSharp's <c>Module.to</c>, which moves experts between host and device, replaces each registered tensor and
/// finds the field to update by the tensor's registered name; a field under another name keeps the freed original.
/// So every registered parameter and buffer of our models must be the field of that name.
/// </summary>
public sealed class ModuleTensorFieldsTests
{
    [Fact]
    public void Dit_with_fp8_weights_and_on_the_fly_loras_keeps_every_registered_tensor_in_the_field_of_its_name()
    {
        using var model = new WanTransformer(TinySviModels.Architecture.I2v);
        var linear = model.modules().OfType<Linear>().First();
        using (var bytes = randn(linear.OutFeatures, linear.InFeatures))
        using (var scale = tensor(0.5f))
            linear.SetFp8Weight(bytes.to(SafetensorsDType.Float8E4M3FN), scale);
        linear.AddAdapter(new LoraAdapter(randn(2, linear.InFeatures), randn(linear.OutFeatures, 2), 0.5));

        AssertFieldsHoldTheirTensors(model);
        Assert.Contains(model.named_buffers(), b => b.name.EndsWith("scale_weight", StringComparison.Ordinal));
        Assert.Contains(model.named_buffers(), b => b.name.EndsWith("lora_adapter0.down", StringComparison.Ordinal));
    }

    [Fact]
    public void Module_to_carries_a_layers_fp8_scale_and_lora_pairs_with_it()
    {
        using var linear = new Linear(4, 3, hasBias: false);
        using (var bytes = randn(3, 4))
        using (var scale = tensor(0.5f))
            linear.SetFp8Weight(bytes.to(SafetensorsDType.Float8E4M3FN), scale);
        linear.AddAdapter(new LoraAdapter(randn(2, 4), randn(3, 2), 0.5));

        // the only move a CPU can make is a dtype change; a device move goes through the same replacement
        linear.to(ScalarType.Float64);

        Assert.Equal(ScalarType.Float64, linear.ScaleWeight!.dtype);
        Assert.Equal(ScalarType.Float64, linear.Adapters[0].Down.dtype);
        Assert.Equal(ScalarType.Float64, linear.Adapters[0].Up.dtype);
        linear.ClearAdapters();
        Assert.False(linear.named_children().Any(), "cleared adapters are no longer children of the layer");
    }

    [Fact]
    public void Vae_and_text_encoder_keep_every_registered_tensor_in_the_field_of_its_name()
    {
        using var vae = new WanVae(TinySviModels.Architecture.Vae);
        using var text = new Umt5Encoder(TinySviModels.Architecture.TextEncoder);
        AssertFieldsHoldTheirTensors(vae);
        AssertFieldsHoldTheirTensors(text);
    }

    static void AssertFieldsHoldTheirTensors(nn.Module root)
    {
        int checkedTensors = 0;
        foreach (var module in root.modules().Prepend(root))
        {
            var registered = module.named_parameters(recurse: false).Select(p => (p.name, (Tensor)p.parameter))
                .Concat(module.named_buffers(recurse: false));
            foreach (var (name, registeredTensor) in registered)
            {
                // TorchSharp's own layers expose their tensors as public properties, which Module.to sets too.
                object? held = module.GetType().GetProperty(name, BindingFlags.Instance | BindingFlags.Public) is { } property
                    ? property.GetValue(module)
                    : Fields(module.GetType()).FirstOrDefault(f => f.Name == name)?.GetValue(module);
                Assert.True(ReferenceEquals(held, registeredTensor),
                    $"{module.GetType().Name} registers '{name}' but its field or property of that name does not hold it");
                checkedTensors++;
            }
        }
        Assert.True(checkedTensors > 0);
    }

    static IEnumerable<FieldInfo> Fields(Type? type)
    {
        for (; type is not null && type != typeof(object); type = type.BaseType)
            foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                yield return field;
    }
}

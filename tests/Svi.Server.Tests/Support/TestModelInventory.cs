using Svi.Inference.Interpolation;
using Svi.Inference.Runtime;

namespace Svi.Server.Tests.Support;

/// <summary>
/// TEST DOUBLE of the weights inventory: says every mode is installed unless a test takes the weights away; the
/// interpolation role is the linear-blend stand-in graph (not RIFE).
/// </summary>
public sealed class TestModelInventory : IModelInventory
{
    public volatile bool Installed = true;

    static readonly ModelFiles Every = new("test",
        Enum.GetValues<ModelRole>().ToDictionary(r => r,
            r => (IReadOnlyList<string>)[r == ModelRole.Interpolation ? LinearBlendRifeGraph.Address : $"/models/{r}.safetensors"]));

    public ModelAvailability Check() => Installed
        ? new("svi-2-0-pro", "test", Every, true, true, true, [], "")
        : new("svi-2-0-pro", null, null, false, false, false,
            ["wan2.2-i2v-a14b/high_noise.safetensors", "svi-2.0-pro/lora_high.safetensors"], "Run './svi models pull svi-2-0-pro'.");
}

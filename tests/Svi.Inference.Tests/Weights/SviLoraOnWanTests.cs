using System.Text.Json;

namespace Svi.Inference.Tests.Weights;

/// <summary>The shared svi_pipeline set's real file layout (PEFT, <c>diffusion_model.</c> prefix) against the real DiT's names.</summary>
public class SviLoraOnWanTests
{
    [Fact]
    public void Svi_lora_resolves_onto_every_wan_linear_it_names_and_merges_as_W_plus_B_A()
    {
        string set = GoldenSets.Path("svi_pipeline");
        string ditPath = Path.Combine(set, "dit_high.safetensors");
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(set, "config.json")));
        var ditConfig = WanConfig.FromJson(config.RootElement.GetProperty("dit"));
        WanTransformer dit;
        using (var file = SafetensorsFile.Open(ditPath)) dit = WanTransformer.Load(ditConfig, file);
        using (dit)
        using (var lora = LoraFile.Load(Path.Combine(set, "lora_high.safetensors")))
        {
            var before = dit.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
            Lora.Apply(dit, lora, strength: 1.0, LoraMode.Merge);
            var after = dit.state_dict();
            foreach (var patch in lora.Patches)
            {
                string weight = patch.Target["diffusion_model.".Length..] + ".weight";
                using var expected = before[weight] + patch.Up.matmul(patch.Down);
                TensorAssert.Close(expected, after[weight], 1e-6, weight);
            }
            int changed = after.Count(kv => !kv.Value.eq(before[kv.Key]).all().item<bool>());
            Assert.Equal(lora.Patches.Count, changed);
        }
    }
}

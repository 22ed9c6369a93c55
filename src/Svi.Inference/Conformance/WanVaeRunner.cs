using Svi.Inference.Wan;
using Svi.Inference.Wan.Vae;
using Svi.Kernels.Safetensors;

namespace Svi.Inference.Conformance;

/// <summary>Sets <c>wan_vae21</c> and <c>wan_vae22</c>: encode the video and the image, decode the reference latent.</summary>
public sealed class WanVaeRunner(WanVaeGeneration generation) : IConformanceRunner
{
    public string Component => generation == WanVaeGeneration.Wan22 ? "wan_vae22" : "wan_vae21";

    public void Run(ConformanceSet set, ConformanceReport report)
    {
        using var vae = new WanVae(WanVaeConfig.FromJson(set.Config) with { Generation = generation });
        using (var weights = SafetensorsFile.Open(set.FilePath("weights.safetensors"))) vae.Load(weights);
        VaeConformance.Check(vae, set, report);
    }
}

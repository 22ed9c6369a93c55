using Svi.Inference.Conformance.Ti2v5bVae;
using Svi.Inference.Wan.Vae;
using Svi.Kernels.Safetensors;

namespace Svi.Inference.Conformance;

/// <summary>Set <c>wan_vae22</c>: encode the video and the image, decode the reference latent.</summary>
public sealed class WanVae22Runner : IConformanceRunner
{
    public string Component => "wan_vae22";

    public void Run(ConformanceSet set, ConformanceReport report)
    {
        using var vae = new WanVae22(WanVaeConfig.FromJson(set.Config));
        using (var weights = SafetensorsFile.Open(set.FilePath("weights.safetensors"))) vae.Load(weights);
        VaeConformance.Check(vae, set, report);
    }
}

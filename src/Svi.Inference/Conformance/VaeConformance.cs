using Svi.Inference.Wan;

namespace Svi.Inference.Conformance;

/// <summary>The checks both VAE sets share: <c>latent</c> = Encode(<c>video</c>), <c>decoded</c> = Decode(reference
/// <c>latent</c>), <c>image_latent</c> = Encode(<c>image</c>).</summary>
static class VaeConformance
{
    public static void Check(IVideoVae vae, ConformanceSet set, ConformanceReport report)
    {
        report.Compare("latent", vae.Encode(set.Tensor("video")), set.Tensor("latent"));
        report.Compare("decoded", vae.Decode(set.Tensor("latent")), set.Tensor("decoded"));
        if (set.Has("image"))
            report.Compare("image_latent", vae.Encode(set.Tensor("image")), set.Tensor("image_latent"));
    }
}

namespace Svi.Inference.Wan.Vae;

/// <summary>
/// A module of the Wan VAE's encoder or decoder: one chunk of video through, with the chunked pass's
/// <see cref="FeatureCache"/> (null for one whole pass). Children and parameters are registered by hand under their
/// checkpoint names; the typed fields of a block are shortcuts to them, so TorchSharp's field registration is off.
/// </summary>
public abstract class VaeBlock(string name) : nn.Module<Tensor, FeatureCache?, Tensor>(name)
{
    protected sealed override void RegisterComponents() { }
}

using Svi.Inference.Pipeline;

namespace Svi.Inference.Rendering;

/// <summary>Keeps the last clip's whole raw latent in the checkpoint, for a later extension of a trimmed video.</summary>
public sealed class FinalClipKeeper(SviCheckpointStore checkpoints, int clips) : ISviObserver
{
    // latent: [1, z, T, h, w]
    public void Finished(int clip, Tensor latent, Tensor decoded)
    {
        if (clip == clips - 1) checkpoints.SaveFinalClipLatent(latent);
    }
}

namespace Svi.Inference.Pipeline;

/// <summary>
/// The SVI 2.0 Pro conditioning of one clip, y = [mask (4); condition (z)]: the condition holds the anchor latent at
/// slot 0, the previous clip's last m raw latents at slots 1 … m, and literal zeros (normalised latent space) in the
/// rest; the mask is 1 only at latent 0 (the motion slots are read positionally, not as known frames).
/// </summary>
public static class ClipConditioning
{
    /// <summary>Mask channels: the first pixel frame repeated 4× then folded into 4 channels per latent frame.</summary>
    public const int MaskChannels = 4;

    // anchor: [1, z, 1, h, w]; motion: [1, z, m, h, w] or null (clip 0) → y: [1, 4 + z, T, h, w]
    public static Tensor Build(Tensor anchorLatent, Tensor? motionLatents, int latentFrames)
    {
        if (anchorLatent.dim() != 5 || anchorLatent.shape[2] != 1)
            throw new ArgumentException($"anchor latent must be [1, z, 1, h, w], got [{string.Join(',', anchorLatent.shape)}]");
        long z = anchorLatent.shape[1], h = anchorLatent.shape[3], w = anchorLatent.shape[4];
        int m = motionLatents is null ? 0 : (int)motionLatents.shape[2];
        if (1 + m > latentFrames) throw new ArgumentException($"{m} motion latents do not fit {latentFrames} latent frames");
        using var scope = NewDisposeScope();
        var parts = new List<Tensor> { anchorLatent };
        if (motionLatents is not null)
        {
            if (motionLatents.shape[1] != z || motionLatents.shape[3] != h || motionLatents.shape[4] != w)
                throw new ArgumentException($"motion latents [{string.Join(',', motionLatents.shape)}] do not match the anchor's grid");
            parts.Add(motionLatents.to(anchorLatent.dtype));
        }
        int padding = latentFrames - 1 - m;
        if (padding > 0) parts.Add(zeros([1, z, padding, h, w], anchorLatent.dtype, anchorLatent.device));
        var condition = cat(parts, 2);
        var mask = Mask(latentFrames, h, w, anchorLatent.dtype, anchorLatent.device);
        return cat([mask, condition], 1).MoveToOuterDisposeScope();
    }

    // → [1, 4, T, h, w], 1 at latent 0 and 0 elsewhere
    public static Tensor Mask(int latentFrames, long h, long w, ScalarType dtype, Device device)
    {
        var mask = zeros([1, MaskChannels, latentFrames, h, w], dtype, device);
        using (no_grad()) mask[.., .., 0].fill_(1);
        return mask;
    }

    /// <summary>The last m latents of a finished clip, copied so the clip's latent can be freed.</summary>
    // latent: [1, z, T, h, w] → [1, z, m, h, w]
    public static Tensor MotionLatents(Tensor clipLatent, int m)
    {
        long t = clipLatent.shape[2];
        return clipLatent[.., .., TensorIndex.Slice(t - m, t)].clone();
    }
}

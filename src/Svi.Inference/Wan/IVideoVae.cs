namespace Svi.Inference.Wan;

/// <summary>A video VAE in normalised latent space ((μ − mean) / std).</summary>
public interface IVideoVae
{
    int LatentChannels { get; }
    /// <summary>Pixels per latent cell along H and W (8 for Wan 2.1, 16 for Wan 2.2).</summary>
    int SpatialStride { get; }
    /// <summary>Frames per latent frame after the first (4).</summary>
    int TemporalStride { get; }

    // video: [B, 3, T, H, W] in [-1, 1], T = 1 + 4k → [B, z, 1 + k, H/s, W/s]
    Tensor Encode(Tensor video);

    // latent: [B, z, t, h, w] → [B, 3, 1 + 4(t − 1), h·s, w·s], not clamped
    Tensor Decode(Tensor latent);

    /// <summary>
    /// The same pixels as <see cref="Decode"/>, in chunks along time as they are decoded (the caller owns and
    /// disposes each chunk), so a clip can be streamed on without holding all its frames. Implementations that
    /// cannot stream return the whole decode as one chunk.
    /// </summary>
    // latent: [B, z, t, h, w] → chunks [B, 3, n, h·s, w·s] whose n sum to 1 + 4(t − 1)
    IEnumerable<Tensor> DecodeFrames(Tensor latent) => [Decode(latent)];
}

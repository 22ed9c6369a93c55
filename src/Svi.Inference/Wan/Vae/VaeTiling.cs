namespace Svi.Inference.Wan.Vae;

/// <summary>
/// Spatial tiling of the VAE decode: square tiles of <paramref name="TileLatent"/> latent cells that overlap their
/// neighbours by at least <paramref name="OverlapLatent"/> cells; inside an overlap the two decodes are blended with
/// linear ramps whose weights sum to one, so seams fade instead of cutting. The decoder's attention and its 3×3
/// receptive field see only the tile, so a tiled decode is close to, not equal to, the whole-frame decode.
/// </summary>
/// <remarks>
/// Memory budget (float32; halve for bf16), per latent frame decoded. The peak is at the decoder's full-resolution
/// stage: a residual block holds about five tensors of C × 4 frames × pixels (its input, the normalised copy, the
/// conv input with two carried frames, the output), and every causal conv of a stage caches two input frames.
/// Wan 2.1 at 1280×720 (96 channels at 720×1280): activations ≈ 7 GB, caches ≈ 5 GB there plus ≈ 3 GB in the lower
/// stages: ≈ 15 GB untiled. Wan 2.2 at 1280×704 (512 → 256 channels at 352×640): ≈ 8 GB activations and ≈ 7 GB
/// caches: ≈ 15 GB untiled. Everything scales with the tile's pixel area. <see cref="Default"/> (32 × 32 latent
/// cells = 256 × 256 px for Wan 2.1, 7 % of a 720p frame; 512 × 512 px for Wan 2.2, 29 %) needs ≈ 1.1 GB (Wan 2.1)
/// or ≈ 4.5 GB (Wan 2.2; use 16-cell tiles for ≈ 1.2 GB) per tile. <see cref="WanVideoVae.DecodeTiled"/> keeps one
/// tile's caches alive at a time, plus the float32 output (81 frames × 3 × 720 × 1280 × 4 B ≈ 0.9 GB). Streaming a
/// tiled decode frame by frame (<see cref="WanVideoVae.DecodeFrames"/> with tiling) bounds the activations the same
/// way but keeps every tile's caches: about the untiled cache size.
/// </remarks>
public sealed record VaeTiling(int TileLatent, int OverlapLatent)
{
    /// <summary>32-cell tiles, 8-cell overlap: ≈ 1.1 GB per tile for Wan 2.1 (see the remarks).</summary>
    public static VaeTiling Default { get; } = new(32, 8);

    public void Validate()
    {
        if (TileLatent < 1) throw new ArgumentOutOfRangeException(nameof(TileLatent), TileLatent, "a tile needs at least one latent cell");
        if (OverlapLatent < 0 || OverlapLatent >= TileLatent)
            throw new ArgumentOutOfRangeException(nameof(OverlapLatent), OverlapLatent, $"overlap must be in [0, {TileLatent})");
    }
}

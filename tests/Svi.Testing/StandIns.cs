using Svi.Inference.Sampling;
using Svi.Inference.Text;
using Svi.Inference.Wan;

namespace Svi.Testing;

/// <summary>
/// A deterministic stand-in for the Wan VAE with the real geometry (causal 1 + 4k frames, spatial stride): pixels are
/// pooled and mixed into z channels; decoding mixes back and upsamples. Used where a test is about the clip loop,
/// not the VAE's numerics.
/// </summary>
public sealed class StandInVae : IVideoVae
{
    readonly Tensor encode, decode;

    public StandInVae(int latentChannels = 16, int spatialStride = 8, long seed = 7)
    {
        LatentChannels = latentChannels;
        SpatialStride = spatialStride;
        using var generator = new Generator((ulong)seed, CPU);
        encode = randn([latentChannels, 3], generator: generator).DetachFromDisposeScope();
        decode = (randn([3, latentChannels], generator: generator) / Math.Sqrt(latentChannels)).DetachFromDisposeScope();
    }

    public int LatentChannels { get; }
    public int SpatialStride { get; }
    public int TemporalStride => 4;

    // video: [B, 3, 1 + 4k, H, W] → [B, z, 1 + k, H/s, W/s]
    public Tensor Encode(Tensor video)
    {
        using var scope = NewDisposeScope();
        long t = video.shape[2];
        var first = video[.., .., ..1];
        var rest = t > 1
            ? video[.., .., 1..].reshape(video.shape[0], 3, (t - 1) / 4, 4, video.shape[3], video.shape[4]).mean([3])
            : null;
        var frames = rest is null ? first : cat([first, rest], 2);
        var pooled = nn.functional.avg_pool3d(frames, [1, SpatialStride, SpatialStride]);
        var latent = einsum("zc,bcthw->bzthw", encode.to(video.dtype, video.device), pooled);
        return latent.MoveToOuterDisposeScope();
    }

    // latent: [B, z, t, h, w] → [B, 3, 1 + 4(t − 1), h·s, w·s]
    public Tensor Decode(Tensor latent)
    {
        using var scope = NewDisposeScope();
        var pixels = einsum("cz,bzthw->bcthw", decode.to(latent.dtype, latent.device), latent).tanh();
        var first = pixels[.., .., ..1];
        var rest = pixels[.., .., 1..].repeat_interleave(4, 2);
        var video = cat([first, rest], 2)
            .repeat_interleave(SpatialStride, 3).repeat_interleave(SpatialStride, 4);
        return video.MoveToOuterDisposeScope();
    }
}

/// <summary>
/// A deterministic stand-in velocity model: a fixed channel mix of [x; y], shifted by the timestep and the
/// context, so noise, conditioning, expert, guidance and prompt all change the result.
/// </summary>
public sealed class StandInVelocityModel : IVelocityModel
{
    readonly Tensor mix;
    readonly int outDim;

    public StandInVelocityModel(int inDim, int outDim = 16, long seed = 11)
    {
        this.outDim = outDim;
        using var generator = new Generator((ulong)seed, CPU);
        mix = (randn([outDim, inDim], generator: generator) / Math.Sqrt(inDim)).DetachFromDisposeScope();
    }

    public int Calls { get; private set; }

    // x: [1, in, T, h, w]; timestep: [1]; context: [1, L, D] → [1, out, T, h, w]
    public Tensor Forward(Tensor x, Tensor timestep, Tensor context)
    {
        Calls++;
        using var scope = NewDisposeScope();
        var mixed = einsum("oi,bithw->bothw", mix.to(x.dtype, x.device), x);
        var shift = context.mean().to(x.dtype) + timestep.to(x.dtype)[0] / 1000;
        return (mixed.tanh() + shift).MoveToOuterDisposeScope();
    }
}

/// <summary>A stand-in text encoder: each prompt maps to its own fixed random context.</summary>
public sealed class StandInTextEncoder(int textLen = 8, int textDim = 16) : ITextEncoder
{
    public Tensor Encode(string prompt)
    {
        using var generator = new Generator((ulong)StableHash(prompt), CPU);
        return randn([textLen, textDim], generator: generator);
    }

    static long StableHash(string text)
    {
        long hash = 1469598103934665603;
        foreach (char c in text) hash = unchecked((hash ^ c) * 1099511628211);
        return hash & long.MaxValue;
    }
}

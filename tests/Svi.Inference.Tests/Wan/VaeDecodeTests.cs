using Svi.Inference.Wan.Vae;
using TorchSharp;
using Xunit.Abstractions;

namespace Svi.Inference.Tests.Wan;

public class VaeDecodeTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("vae21")]
    [InlineData("vae22")]
    public void Streaming_decode_yields_one_frame_then_four_per_latent_frame_and_equals_the_reference_whole_decode(string set)
    {
        using var vae = VaeFixtures.Load(set);
        using var latent = VaeFixtures.ReadIo(set, "latent");
        using var reference = VaeFixtures.ReadIo(set, "decoded");
        var chunks = vae.DecodeFrames(latent).ToList();
        try
        {
            Assert.Equal(latent.shape[2], chunks.Count);
            Assert.Equal(1, chunks[0].shape[2]);
            Assert.All(chunks.Skip(1), c => Assert.Equal(vae.TemporalStride, c.shape[2]));
            using var streamed = cat(chunks, 2);
            // Tolerance: the golden bar, rel ≤ 1e-4 (fp32).
            Assert.True(VaeFixtures.RelativeError(streamed, reference) <= 1e-4);
            using var whole = vae.Decode(latent);
            Assert.Equal(0.0, (whole - streamed).abs().max().item<float>());
            var viaInterface = ((IVideoVae)vae).DecodeFrames(latent).ToList();
            using var interfaceStreamed = cat(viaInterface, 2);
            foreach (var c in viaInterface) c.Dispose();
            Assert.Equal(chunks.Count, viaInterface.Count);
            Assert.Equal(0.0, (whole - interfaceStreamed).abs().max().item<float>());
        }
        finally
        {
            foreach (var c in chunks) c.Dispose();
        }
    }

    [Theory]
    [InlineData("vae21")]
    [InlineData("vae22")]
    public void Tiled_decode_with_one_tile_covering_the_frame_equals_the_untiled_decode(string set)
    {
        using var vae = VaeFixtures.Load(set);
        using var latent = VaeFixtures.ReadIo(set, "latent");
        using var whole = vae.Decode(latent);
        using var tiled = vae.DecodeTiled(latent, new VaeTiling((int)Math.Max(latent.shape[3], latent.shape[4]), 0));
        // Tolerance: 1e-6 relative (same arithmetic, only the order of the frame loop differs).
        Assert.True(VaeFixtures.RelativeError(tiled, whole) <= 1e-6);
    }

    [Theory]
    [InlineData("vae21")]
    [InlineData("vae22")]
    public void Tiled_decode_of_a_larger_latent_is_close_to_the_untiled_decode_and_closer_with_overlap(string set)
    {
        using var vae = VaeFixtures.Load(set);
        using var scope = NewDisposeScope();
        var latent = SmoothLatent(vae.LatentChannels, frames: 2, height: 6, width: 8, seed: 7);
        var whole = vae.Decode(latent);
        var blended = new VaeTiling(TileLatent: 6, OverlapLatent: 4);
        var tiled = vae.DecodeTiled(latent, blended);
        var hardSeams = vae.DecodeTiled(latent, new VaeTiling(TileLatent: 4, OverlapLatent: 0));
        var streamedTiled = cat(vae.DecodeFrames(latent, blended).ToList(), 2);
        double error = VaeFixtures.RelativeError(tiled, whole);
        double seamError = VaeFixtures.RelativeError(hardSeams, whole);
        output.WriteLine($"{set}: tiled (6, overlap 4) rel = {error:E3}; hard seams (4, overlap 0) rel = {seamError:E3}");
        Assert.Equal(whole.shape, tiled.shape);
        // Tolerance: 30 % relative L2 on these random-weight models. Random weights give the decoder its full
        // theoretical receptive field (≈ 16 latent cells, more than these tiles) and a middle attention that mixes
        // the whole frame, so any tile sees a different context (measured ≈ 0.2 for vae21); trained weights have a
        // far smaller effective field. What tiling itself must guarantee is checked exactly elsewhere: one tile
        // equals the untiled decode, and the blend weights sum to one.
        Assert.True(error <= 0.3, $"tiled decode differs from the untiled one by {error:E3}");
        Assert.True(error < seamError, $"blended overlap ({error:E3}) should beat hard seams ({seamError:E3})");
        // The same tiles blended frame by frame instead of tile by tile: identical up to float rounding (1e-6).
        Assert.True(VaeFixtures.RelativeError(streamedTiled, tiled) <= 1e-6);
    }

    [Fact]
    public void Tile_weights_cover_every_pixel_and_sum_to_one()
    {
        var plan = TilePlan.Create(latentHeight: 45, latentWidth: 80, pixelsPerCell: 8, VaeTiling.Default);
        using var scope = NewDisposeScope();
        var sum = zeros(45 * 8, 80 * 8);
        foreach (var tile in plan.Tiles)
        {
            Assert.True(tile.Top >= 0 && tile.Top + tile.Height <= 45 && tile.Left >= 0 && tile.Left + tile.Width <= 80);
            var weights = TilePlan.Weights(tile, CPU).squeeze();
            Assert.True(weights.min().item<float>() > 0);
            sum.narrow(0, tile.Top * 8, tile.Height * 8).narrow(1, tile.Left * 8, tile.Width * 8).add_(weights);
        }
        Assert.True(plan.Tiles.Count > 1);
        // Tolerance: 1e-5 absolute (float32 ramps).
        Assert.True((sum - 1).abs().max().item<float>() <= 1e-5);
    }

    [Fact]
    public void Streaming_decoder_after_ClearCache_decodes_a_new_video_as_if_fresh()
    {
        using var vae = VaeFixtures.Load("vae21");
        using var scope = NewDisposeScope();
        var first = VaeFixtures.ReadIo("vae21", "latent");
        var second = SmoothLatent(vae.LatentChannels, frames: 2, height: first.shape[3], width: first.shape[4], seed: 3);
        var fresh = vae.Decode(second);
        using var decoder = vae.CreateStreamingDecoder();
        for (long i = 0; i < first.shape[2]; i++) decoder.DecodeNext(first.narrow(2, i, 1));
        decoder.ClearCache();
        Assert.Equal(0, decoder.FramesDecoded);
        var again = cat([decoder.DecodeNext(second.narrow(2, 0, 1)), decoder.DecodeNext(second.narrow(2, 1, 1))], 2);
        Assert.Equal(0.0, (again - fresh).abs().max().item<float>());
        Assert.Throws<InvalidOperationException>(() => decoder.DecodeNext(zeros([1, vae.LatentChannels, 1, 2, 2])));
    }

    [Fact]
    public void Vae_converted_to_bfloat16_runs_in_bfloat16_close_to_float32()
    {
        using var vae = VaeFixtures.Load("vae21");
        using var scope = NewDisposeScope();
        var video = VaeFixtures.ReadIo("vae21", "video");
        var latent = vae.Encode(video);
        vae.to(ScalarType.BFloat16);
        Assert.All(vae.state_dict().Values, t => Assert.Equal(ScalarType.BFloat16, t.dtype));
        var halfLatent = vae.Encode(video);
        double error = VaeFixtures.RelativeError(halfLatent, latent);
        Assert.Equal(ScalarType.Float32, halfLatent.dtype);
        // Tolerance: bf16 keeps 8 mantissa bits, so expect ≈ 1e-2 relative after a dozen layers; exactly 0 would
        // mean the weights were not converted.
        Assert.InRange(error, 1e-6, 5e-2);
    }

    [Fact]
    public void Decoding_frees_every_tensor_it_made_including_the_caches_of_an_abandoned_stream()
    {
        using var vae = VaeFixtures.Load("vae21");
        using var latent = VaeFixtures.ReadIo("vae21", "latent");
        using var video = VaeFixtures.ReadIo("vae21", "video");
        long before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        vae.Encode(video).Dispose();
        vae.Decode(latent).Dispose();
        vae.DecodeTiled(latent, new VaeTiling(3, 1)).Dispose();
        foreach (var chunk in vae.DecodeFrames(latent, new VaeTiling(3, 1)))
        {
            chunk.Dispose();
            break;
        }
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    // A latent with spatial structure (random values smoothed over 3×3 cells), so the decode is not pure noise.
    static Tensor SmoothLatent(long channels, long frames, long height, long width, int seed)
    {
        var generator = new Generator((ulong)seed);
        var noise = randn([1, channels, frames, height, width], generator: generator);
        return nn.functional.avg_pool3d(noise, [1, 3, 3], [1, 1, 1], [0, 1, 1]) * 3;
    }
}

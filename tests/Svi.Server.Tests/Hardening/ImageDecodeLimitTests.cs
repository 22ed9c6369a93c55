using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Svi.Server.Contracts;
using Svi.Server.Images;

namespace Svi.Server.Tests.Hardening;

/// <summary>Large images are decoded a few at a time; a request that cannot get a slot in time is a 503 to retry.</summary>
public sealed class ImageDecodeLimitTests
{
    [Fact]
    public async Task A_large_decode_beyond_the_concurrency_limit_waits_then_is_503_while_small_ones_pass()
    {
        // The first large decode is held inside its slot until the test lets it go, however fast the machine decodes.
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var decoder = new InputImageDecoder(50_000_000, new ImageDecodeOptions { MaxConcurrent = 1, LargePixels = 1_000_000, WaitSeconds = 0.1 })
        {
            LargeSlotTaken = () => { holding.TrySetResult(); return release.Task; },
        };
        using var large = new Image<Rgba32>(2000, 1000, new Rgba32(10, 200, 30));
        var largePng = ImageFixtures.Encode("png", large);

        var first = decoder.ToPngAsync("image", largePng, CancellationToken.None);
        await holding.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(1, decoder.LargeDecodesRunning);

        var busy = await Assert.ThrowsAsync<ApiException>(() => decoder.ToPngAsync("image", largePng, CancellationToken.None));
        Assert.Equal(503, busy.Status);
        Assert.Equal("image_decoder_busy", busy.Code);
        Assert.NotNull(busy.RetryAfterSeconds);
        // Small images do not queue behind large ones.
        var (_, width, _) = await decoder.ToPngAsync("image", ImageFixtures.Encode("png"), CancellationToken.None);
        Assert.Equal(64, width);

        release.SetResult();
        var (_, w, h) = await first;
        Assert.Equal((2000, 1000), (w, h));
        Assert.Equal(0, decoder.LargeDecodesRunning);
    }
}

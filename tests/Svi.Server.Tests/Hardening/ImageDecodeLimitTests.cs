using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Svi.Server.Contracts;
using Svi.Server.Hosting;
using Svi.Server.Images;
using Svi.Server.Tests.Support;

namespace Svi.Server.Tests.Hardening;

/// <summary>Large images are decoded a few at a time; a request that cannot get a slot in time is a 503 to retry.</summary>
public sealed class ImageDecodeLimitTests
{
    [Fact]
    public async Task A_large_decode_beyond_the_concurrency_limit_waits_then_is_503_while_small_ones_pass()
    {
        var decoder = new InputImageDecoder(50_000_000, new ImageDecodeOptions { MaxConcurrent = 1, LargePixels = 1_000_000, WaitSeconds = 0.1 });
        using var large = new Image<Rgba32>(4000, 4000, new Rgba32(10, 200, 30));
        var largePng = ImageFixtures.Encode("png", large);

        var first = decoder.ToPngAsync("image", largePng, CancellationToken.None);
        for (var deadline = DateTime.UtcNow.AddSeconds(10); decoder.LargeDecodesRunning == 0 && !first.IsCompleted; await Task.Delay(5))
            Assert.True(DateTime.UtcNow < deadline, "the first decode never started");
        Assert.False(first.IsCompleted, "the first decode finished before the second could contend with it");

        var busy = await Assert.ThrowsAsync<ApiException>(() => decoder.ToPngAsync("image", largePng, CancellationToken.None));
        Assert.Equal(503, busy.Status);
        Assert.Equal("image_decoder_busy", busy.Code);
        Assert.NotNull(busy.RetryAfterSeconds);
        // Small images do not queue behind large ones.
        var (_, width, _) = await decoder.ToPngAsync("image", ImageFixtures.Encode("png"), CancellationToken.None);
        Assert.Equal(64, width);

        var (_, w, h) = await first;
        Assert.Equal((4000, 4000), (w, h));
        Assert.Equal(0, decoder.LargeDecodesRunning);
    }
}

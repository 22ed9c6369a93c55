namespace Svi.Server.Hosting;

public sealed class ImageDecodeOptions
{
    /// <summary>Images with more pixels than this count as large and wait for one of <see cref="MaxConcurrent"/> slots.</summary>
    public long LargePixels { get; set; } = 4_000_000;
    public int MaxConcurrent { get; set; } = 2;
    /// <summary>How long a request waits for a decode slot before it is answered 503.</summary>
    public double WaitSeconds { get; set; } = 30;
}

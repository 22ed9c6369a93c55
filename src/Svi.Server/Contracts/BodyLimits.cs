using Svi.Server.Hosting;

namespace Svi.Server.Contracts;

/// <summary>
/// How large a request body an endpoint reads, by kind: JSON bodies are parsed in memory, so they get the small
/// <c>Svi:MaxJsonBodyBytes</c>; multipart bodies get room for the file the endpoint takes, and no more.
/// </summary>
public sealed record BodyLimits(long Json, long Form)
{
    // Room for the text fields and the multipart framing around a file.
    private const long Fields = 1024 * 1024;

    public static BodyLimits WithImage(SviOptions o) => new(o.MaxJsonBodyBytes, o.MaxImageBytes + Fields);
    public static BodyLimits WithVideo(SviOptions o) => new(o.MaxJsonBodyBytes, o.MaxVideoBytes + Fields);
    // 24 prompts of 20,000 characters, each written as a six-byte JSON escape, fit.
    public static BodyLimits TextOnly { get; } = new(4 * Fields, 4 * Fields);

    /// <summary>What Kestrel must allow at all; each request lowers it to its endpoint's limit before reading.</summary>
    public static long Largest(SviOptions o) => Math.Max(o.MaxJsonBodyBytes, Math.Max(o.MaxImageBytes, o.MaxVideoBytes) + Fields);
}

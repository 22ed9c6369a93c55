using ImageMagick;

namespace Svi.Server.Images;

/// <summary>
/// Whether Magick.NET's native library (HEIC/HEIF decoding) loads in this process, asked once. The GPU kit's build
/// (bench/gpu/publish.sh) leaves it out; without it a HEIC upload is refused as unsupported here, not as corrupt.
/// </summary>
public static class HeifDecoderAvailability
{
    static readonly Lazy<string?> LoadProblem = new(Probe);

    /// <summary>Why HEIC/HEIF cannot be decoded here, or null when it can.</summary>
    public static string? Problem => LoadProblem.Value;

    static string? Probe()
    {
        try
        {
            _ = MagickNET.Delegates;
            return null;
        }
        catch (Exception e) when (IsLoadFailure(e) || e is TypeInitializationException { InnerException: { } inner } && IsLoadFailure(inner))
        {
            // The loader's first sentence names the library; the rest lists every path it tried.
            return (e.InnerException ?? e).Message.Split(". ", 2)[0].Trim();
        }
    }

    static bool IsLoadFailure(Exception e) => e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException;
}

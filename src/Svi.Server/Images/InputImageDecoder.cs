using ImageMagick;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Svi.Server.Contracts;
using Svi.Server.Hosting;

namespace Svi.Server.Images;

/// <summary>
/// Turns an uploaded image into the one form the pipeline reads: an upright, opaque RGB PNG. JPEG, PNG, WebP, BMP and
/// TIFF go through ImageSharp; HEIC/HEIF (which ImageSharp cannot read) through Magick.NET's bundled libheif.
/// Everything else (GIF, AVIF, SVG, PDF, …) is refused by name rather than guessed at.
/// <para>
/// Only headers are read before the pixel limit is checked (every page of a TIFF), only the first frame is ever
/// decoded, and at most <c>Svi:ImageDecodes:MaxConcurrent</c> large images are decoded at once.
/// </para>
/// </summary>
public sealed class InputImageDecoder(long maxPixels, ImageDecodeOptions decodes)
{
    public static readonly IReadOnlyList<string> AcceptedFormats = ["jpg", "jpeg", "png", "webp", "bmp", "tiff", "tif", "heic", "heif"];
    private static readonly HashSet<string> SharpFormats = new(StringComparer.OrdinalIgnoreCase) { "JPEG", "PNG", "WEBP", "BMP", "TIFF" };
    private static readonly string[] HeifBrands = ["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"];
    private static readonly TiffDecoder FirstTiffPage = new() { DecodingMode = FrameDecodingMode.First };

    private readonly SemaphoreSlim largeDecodes = new(decodes.MaxConcurrent, decodes.MaxConcurrent);

    public static string AcceptedList => string.Join(", ", AcceptedFormats);

    /// <summary>How many large decodes run now.</summary>
    internal int LargeDecodesRunning => decodes.MaxConcurrent - largeDecodes.CurrentCount;

    /// <summary>Test hook: awaited by a large decode once it holds its slot, before it decodes.</summary>
    internal Func<Task>? LargeSlotTaken { get; init; }

    /// <summary>Decodes, orients and flattens <paramref name="data"/>; returns PNG bytes and the pixel size.</summary>
    public async Task<(byte[] Png, int Width, int Height)> ToPngAsync(string param, byte[] data, CancellationToken ct)
    {
        if (IsoBrand(data) is { } brand)
        {
            if (brand.Any(b => b is "avif" or "avis"))
                throw Unsupported(param, "AVIF");
            if (brand.Any(b => HeifBrands.Contains(b)))
            {
                if (HeifDecoderAvailability.Problem is { } problem)
                    throw ApiException.Invalid(param, $"The image in '{param}' is HEIC/HEIF, which this build cannot decode " +
                        $"(Magick.NET's native library did not load: {problem}). Send JPEG, PNG, WebP, BMP or TIFF.", "unsupported_image_format");
                var heif = Untrusted(param, () => new MagickImageInfo(data));
                CheckPixels(param, heif.Width, heif.Height);
                return await DecodeAsync(param, heif.Width, heif.Height, () => HeifToPng(data), ct);
            }
        }
        var format = Untrusted(param, () => Image.DetectFormat(data));
        if (format is null) throw Unsupported(param, "an unknown format");
        if (!SharpFormats.Contains(format.Name)) throw Unsupported(param, format.Name);
        if (format.Name.Equals("TIFF", StringComparison.OrdinalIgnoreCase))
        {
            IReadOnlyList<(long Width, long Height)> pages;
            try { pages = TiffPages.Sizes(data); }
            catch (InvalidDataException e) { throw Corrupt(param, e.Message); }
            for (int i = 0; i < pages.Count; i++) CheckPixels(param, pages[i].Width, pages[i].Height, pages.Count > 1 ? $" (page {i + 1})" : "");
        }
        var info = Untrusted(param, () => Image.Identify(data)) ?? throw Unsupported(param, "an unknown format");
        CheckPixels(param, info.Width, info.Height);
        if (format.Name.Equals("BMP", StringComparison.OrdinalIgnoreCase) && BmpPixelData.Missing(data) is { } missing)
            throw Corrupt(param, missing);
        return await DecodeAsync(param, info.Width, info.Height, () =>
        {
            using var image = format.Name.Equals("TIFF", StringComparison.OrdinalIgnoreCase)
                ? Image.Load<Rgba32>(data, FirstTiffPage)
                : Image.Load<Rgba32>(data);
            return Flatten(image);
        }, ct);
    }

    private async Task<(byte[], int, int)> DecodeAsync(string param, long width, long height, Func<(byte[], int, int)> decode,
        CancellationToken ct)
    {
        bool large = width * height > decodes.LargePixels;
        if (large && !await largeDecodes.WaitAsync(TimeSpan.FromSeconds(decodes.WaitSeconds), ct))
            throw ApiException.Unavailable($"The server is decoding as many large images as it allows; send '{param}' again shortly.",
                "image_decoder_busy");
        try
        {
            if (large && LargeSlotTaken is { } hook) await hook();
            return await Task.Run(() => Untrusted(param, decode), ct);
        }
        finally { if (large) largeDecodes.Release(); }
    }

    private static (byte[], int, int) HeifToPng(byte[] data)
    {
        using var magick = new MagickImage(data);
        magick.AutoOrient();
        magick.Format = MagickFormat.Png;
        using var image = Image.Load<Rgba32>(magick.ToByteArray());
        return Flatten(image);
    }

    // The decoders meet bytes from anyone, and malformed ones make them throw nearly any exception type
    // (NullReferenceException, InvalidOperationException, IndexOutOfRangeException, …): each is a corrupt image.
    private static T Untrusted<T>(string param, Func<T> read)
    {
        try { return read(); }
        catch (Exception e) when (e is not (ApiException or OperationCanceledException or OutOfMemoryException))
        {
            throw Corrupt(param, e is ImageFormatException or NotSupportedException or MagickException
                ? e.Message : "its data is malformed");
        }
    }

    // EXIF orientation is applied to the pixels, then transparency is composited over white: the model has no alpha.
    private static (byte[], int, int) Flatten(Image<Rgba32> image)
    {
        image.Mutate(x => x.AutoOrient().BackgroundColor(Color.White));
        using var rgb = image.CloneAs<Rgb24>();
        rgb.Metadata.ExifProfile = null;
        using var ms = new MemoryStream();
        rgb.SaveAsPng(ms);
        return (ms.ToArray(), rgb.Width, rgb.Height);
    }

    private void CheckPixels(string param, long width, long height, string where = "")
    {
        if (width <= 0 || height <= 0) throw Corrupt(param, $"it has no pixels{where}");
        if (width * height > maxPixels)
            throw new ApiException(StatusCodes.Status413PayloadTooLarge,
                $"The image in '{param}' is {width}x{height} pixels{where}; the limit is {maxPixels} pixels in all.", param, "image_too_large");
    }

    /// <summary>The major and compatible brands of an ISO-BMFF file (<c>ftyp</c> box), or null when it is not one.</summary>
    private static string[]? IsoBrand(byte[] d)
    {
        if (d.Length < 16 || d[4] != 'f' || d[5] != 't' || d[6] != 'y' || d[7] != 'p') return null;
        int size = (d[0] << 24) | (d[1] << 16) | (d[2] << 8) | d[3];
        size = Math.Clamp(size, 16, d.Length);
        var brands = new List<string> { System.Text.Encoding.ASCII.GetString(d, 8, 4) };
        for (int o = 16; o + 4 <= size; o += 4) brands.Add(System.Text.Encoding.ASCII.GetString(d, o, 4));
        return [.. brands];
    }

    private static ApiException Unsupported(string param, string what) => ApiException.Invalid(param,
        $"The image in '{param}' is {what}, which is not accepted. Accepted formats: {AcceptedList}.", "unsupported_image_format");

    private static ApiException Corrupt(string param, string why) => ApiException.Invalid(param,
        $"The image in '{param}' could not be decoded ({why}). Accepted formats: {AcceptedList}.", "invalid_image");
}

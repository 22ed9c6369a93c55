using ImageMagick;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Svi.Server.Contracts;

namespace Svi.Server.Images;

/// <summary>
/// Turns an uploaded image into the one form the pipeline reads: an upright, opaque RGB PNG. JPEG, PNG, WebP, BMP and
/// TIFF go through ImageSharp; HEIC/HEIF (which ImageSharp cannot read) through Magick.NET's bundled libheif.
/// Everything else (GIF, AVIF, SVG, PDF, …) is refused by name rather than guessed at.
/// </summary>
public sealed class InputImageDecoder(long maxPixels)
{
    public static readonly IReadOnlyList<string> AcceptedFormats = ["jpg", "jpeg", "png", "webp", "bmp", "tiff", "tif", "heic", "heif"];
    private static readonly HashSet<string> SharpFormats = new(StringComparer.OrdinalIgnoreCase) { "JPEG", "PNG", "WEBP", "BMP", "TIFF" };
    private static readonly string[] HeifBrands = ["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"];

    public static string AcceptedList => string.Join(", ", AcceptedFormats);

    /// <summary>Decodes, orients and flattens <paramref name="data"/>; returns PNG bytes and the pixel size.</summary>
    public (byte[] Png, int Width, int Height) ToPng(string param, byte[] data)
    {
        if (IsoBrand(data) is { } brand)
        {
            if (brand.Any(b => b is "avif" or "avis"))
                throw Unsupported(param, "AVIF");
            if (brand.Any(b => HeifBrands.Contains(b))) return HeifToPng(param, data);
        }
        IImageFormat? format;
        IImageInfo? info;
        try { info = Image.Identify(data, out format); }
        catch (Exception e) when (e is ImageFormatException or NotSupportedException) { throw Corrupt(param, e.Message); }
        if (format is null || info is null)
            throw Unsupported(param, "an unknown format");
        if (!SharpFormats.Contains(format.Name)) throw Unsupported(param, format.Name);
        CheckPixels(param, info.Width, info.Height);
        try
        {
            using var image = Image.Load<Rgba32>(data);
            return Flatten(image);
        }
        catch (Exception e) when (e is ImageFormatException or NotSupportedException or InvalidOperationException)
        {
            throw Corrupt(param, e.Message);
        }
    }

    private (byte[], int, int) HeifToPng(string param, byte[] data)
    {
        try
        {
            var info = new MagickImageInfo(data);
            CheckPixels(param, (int)info.Width, (int)info.Height);
            using var magick = new MagickImage(data);
            magick.AutoOrient();
            magick.Format = MagickFormat.Png;
            using var image = Image.Load<Rgba32>(magick.ToByteArray());
            return Flatten(image);
        }
        catch (MagickException e) { throw Corrupt(param, e.Message); }
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

    private void CheckPixels(string param, int width, int height)
    {
        if (width <= 0 || height <= 0) throw Corrupt(param, "it has no pixels");
        if ((long)width * height > maxPixels)
            throw new ApiException(StatusCodes.Status413PayloadTooLarge,
                $"The image in '{param}' is {width}x{height} pixels; the limit is {maxPixels} pixels in all.", param, "image_too_large");
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

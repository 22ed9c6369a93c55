using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Bmp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace Svi.Server.Tests.Support;

/// <summary>Test images made on the fly: left half red, right half blue, 64×48 unless said otherwise.</summary>
public static class ImageFixtures
{
    public static Image<Rgba32> Halves(int width = 64, int height = 48)
    {
        var image = new Image<Rgba32>(width, height);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                image[x, y] = x < width / 2 ? new Rgba32(255, 0, 0) : new Rgba32(0, 0, 255);
        return image;
    }

    /// <summary>The default test image as a PNG <c>data:</c> URL, the form a JSON body's <c>image</c> takes.</summary>
    public static string PngDataUrl { get; } = "data:image/png;base64," + Convert.ToBase64String(Encode("png"));

    public static byte[] Encode(string extension, Image<Rgba32>? image = null)
    {
        using var owned = image is null ? Halves() : null;
        var source = image ?? owned!;
        using var ms = new MemoryStream();
        switch (extension)
        {
            case "jpg" or "jpeg": source.Save(ms, new JpegEncoder { Quality = 95 }); break;
            case "png": source.Save(ms, new PngEncoder()); break;
            case "webp": source.Save(ms, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless }); break;
            case "bmp": source.Save(ms, new BmpEncoder()); break;
            case "tiff" or "tif": source.Save(ms, new TiffEncoder()); break;
            case "gif": source.Save(ms, new GifEncoder()); break;
            case "heic" or "heif": return Heif(source);
            default: throw new ArgumentException(extension);
        }
        return ms.ToArray();
    }

    /// <summary>HEIC through Debian's libheif encoder (<c>heif-enc</c>, package libheif-examples).</summary>
    private static byte[] Heif(Image<Rgba32> source)
    {
        var dir = Directory.CreateTempSubdirectory("svi-heic-").FullName;
        try
        {
            var png = Path.Combine(dir, "in.png");
            var heic = Path.Combine(dir, "out.heic");
            source.SaveAsPng(png);
            using var process = Process.Start(new ProcessStartInfo("heif-enc", $"-q 90 -o \"{heic}\" \"{png}\"")
            { RedirectStandardOutput = true, RedirectStandardError = true })!;
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException("heif-enc failed: " + process.StandardError.ReadToEnd());
            return File.ReadAllBytes(heic);
        }
        finally { Directory.Delete(dir, true); }
    }

    public static byte[] JpegWithOrientation(ushort orientation, int width, int height)
    {
        using var image = Halves(width, height);
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, orientation);
        using var ms = new MemoryStream();
        image.Save(ms, new JpegEncoder { Quality = 95 });
        return ms.ToArray();
    }

    public static byte[] TransparentPng()
    {
        using var image = Halves();
        for (int y = 0; y < 48; y++)
            for (int x = 0; x < 16; x++) image[x, y] = new Rgba32(0, 0, 0, 0);
        return Encode("png", image);
    }
}

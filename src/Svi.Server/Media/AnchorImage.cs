using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace Svi.Server.Media;

/// <summary>The input image made into the anchor frame: scaled to cover the video size and centre-cropped, as RGB.</summary>
public static class AnchorImage
{
    /// <summary>rgb24 bytes, <paramref name="width"/> × <paramref name="height"/>, row after row.</summary>
    public static byte[] Load(string path, int width, int height)
    {
        using var image = Image.Load<Rgb24>(path);
        image.Mutate(x => x.Resize(new ResizeOptions
        {
            Size = new Size(width, height),
            Mode = ResizeMode.Crop,
            Position = AnchorPositionMode.Center,
        }));
        var pixels = new byte[width * height * 3];
        image.CopyPixelDataTo(pixels);
        return pixels;
    }

    /// <summary>Writes rgb24 pixels as a PNG (the anchor frame a text-to-video run made).</summary>
    public static void SavePng(ReadOnlySpan<byte> rgb24, int width, int height, string path)
    {
        using var image = Image.LoadPixelData<Rgb24>(rgb24, width, height);
        image.SaveAsPng(path);
    }
}

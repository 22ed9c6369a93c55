using System.Buffers.Binary;
using System.Net.Http.Headers;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Svi.Server.Tests.Hardening;

/// <summary>
/// Images that once crashed a decoder or bombed its memory: each is refused with a 4xx naming the field before any
/// pixels are decoded, or only its first frame is decoded.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class MalformedImageTests(HostileInputFixture fixture) : IClassFixture<HostileInputFixture>
{
    private async Task<(HttpStatusCode, JsonElement)> UploadAsync(byte[] data, string fileName)
    {
        var file = new ByteArrayContent(data);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var form = new MultipartFormDataContent { { new StringContent("a scene"), "prompt" }, { file, "image", fileName } };
        return await SendAsync(fixture.Server.Client, HttpMethod.Post, "/v1/videos/generations", form);
    }

    private async Task<JsonElement> AssertRefusedAsync(byte[] data, string fileName, HttpStatusCode status, string code, params string[] message)
    {
        var folders = fixture.Folders();
        var error = AssertError(await UploadAsync(data, fileName), status, "image", message);
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.Equal(folders, fixture.Folders());
        return error;
    }

    [Fact]
    public async Task Tiff_with_a_huge_second_page_is_refused_from_its_header()
    {
        // 2000x2000 declared on page 2 with no pixel data at all: only the directory is read.
        var tiff = TiffFixture.Build(new(64, 48, R: 255), new(2000, 2000, WithPixels: false));
        Assert.True(tiff.Length < 20_000);
        await AssertRefusedAsync(tiff, "bomb.tiff", HttpStatusCode.RequestEntityTooLarge, "image_too_large", "2000x2000", "page 2");
    }

    [Fact]
    public async Task Multi_page_tiff_decodes_only_its_first_page()
    {
        // The second page claims Deflate over raw bytes: decoding it fails (the control below shows it), so a 202 shows
        // it was never decoded.
        var undecodable = new TiffFixture.Page(32, 32, B: 255, Compression: 8);
        await AssertRefusedAsync(TiffFixture.Build(undecodable), "control.tif", HttpStatusCode.BadRequest, "invalid_image", "could not be decoded");
        var tiff = TiffFixture.Build(new(64, 48, R: 255), undecodable, new(16, 16, G: 255));
        var (status, g) = await UploadAsync(tiff, "pages.tif");
        Assert.True(status == HttpStatusCode.Accepted, g.ToString());
        using var stored = Image.Load<Rgb24>(Path.Combine(fixture.DataDirectory, "generations", g.GetProperty("id").GetString()!, "input.png"));
        Assert.Equal((64, 48), (stored.Width, stored.Height));
        Assert.Equal(new Rgb24(255, 0, 0), stored[10, 10]);
    }

    [Fact]
    public async Task Broken_tiffs_are_400_invalid_image()
    {
        byte[] noPages = [.. "II"u8, 42, 0, 0, 0, 0, 0];
        byte[] directoryPastEnd = [.. "II"u8, 42, 0, 0xFF, 0xFF, 0, 0];
        byte[] loop = [.. "II"u8, 42, 0, 8, 0, 0, 0, 0, 0, 8, 0, 0, 0];
        var notDeflate = TiffFixture.Build(new TiffFixture.Page(16, 16, R: 9, Compression: 8));
        var cut = TiffFixture.Build(new TiffFixture.Page(16, 16, R: 9))[..700];
        foreach (var tiff in new[] { noPages, directoryPastEnd, loop, notDeflate, cut })
            await AssertRefusedAsync(tiff, "broken.tiff", HttpStatusCode.BadRequest, "invalid_image", "could not be decoded");
    }

    [Fact]
    public async Task Broken_jpegs_are_400_invalid_image()
    {
        byte[] noFrame = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, .. "JFIF\0"u8, 1, 1, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xD9];
        var headerOnly = ImageFixtures.Encode("jpg")[..40];
        foreach (var jpeg in new[] { noFrame, headerOnly })
            await AssertRefusedAsync(jpeg, "broken.jpg", HttpStatusCode.BadRequest, "invalid_image", "could not be decoded");
        await AssertRefusedAsync([0xFF, 0xD8, 0xFF, 0xD9], "empty.jpg", HttpStatusCode.BadRequest, "unsupported_image_format", "unknown format");
    }

    [Fact]
    public async Task Bmp_declaring_huge_dimensions_is_refused_before_decoding()
    {
        // Refused from the header either way: as over the pixel limit, or as a header the decoder rejects.
        foreach (var (width, height) in new[] { (30_000, 30_000), (int.MaxValue, 2), (1 << 20, 1 << 20), (1000, 1000) })
        {
            var folders = fixture.Folders();
            var (status, body) = await UploadAsync(Bmp(width, height), "huge.bmp");
            var error = body.GetProperty("error");
            Assert.True(status == HttpStatusCode.RequestEntityTooLarge && error.GetProperty("code").GetString() == "image_too_large"
                || status == HttpStatusCode.BadRequest && error.GetProperty("code").GetString() == "invalid_image", $"{width}x{height}: {(int)status} {body}");
            Assert.Equal("image", error.GetProperty("param").GetString());
            Assert.Equal(folders, fixture.Folders());
        }
    }

    [Fact]
    public async Task Bmp_with_impossible_header_is_400() =>
        await AssertRefusedAsync(Bmp(-5, 0), "odd.bmp", HttpStatusCode.BadRequest, "invalid_image", "could not be decoded");

    // A 24-bit BMP header declaring the size, followed by a few bytes of pixels.
    private static byte[] Bmp(int width, int height)
    {
        var b = new byte[54 + 64];
        b[0] = (byte)'B'; b[1] = (byte)'M';
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(2), b.Length);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(10), 54);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(14), 40);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(18), width);
        BinaryPrimitives.WriteInt32LittleEndian(b.AsSpan(22), height);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(26), 1);
        BinaryPrimitives.WriteInt16LittleEndian(b.AsSpan(28), 24);
        return b;
    }
}

using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Svi.Server.Tests.Api;

public sealed class SmallLimitsFixture : ApiOnlyFixture
{
    protected override string[] ExtraConfig => ["--Svi:MaxImageBytes=200000", "--Svi:MaxImagePixels=1000000"];
}

/// <summary>Every accepted image format and form, what is stored, and what is refused.</summary>
[Collection(ServerCollection.Name)]
public sealed class ImageIntakeTests(SmallLimitsFixture fixture) : IClassFixture<SmallLimitsFixture>
{

    private async Task<(HttpStatusCode, JsonElement)> UploadAsync(byte[] data, string fileName, string path = "/v1/videos/generations", string field = "image")
    {
        var file = new ByteArrayContent(data);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var form = new MultipartFormDataContent { { new StringContent("a scene"), "prompt" }, { file, field, fileName } };
        return await SendAsync(fixture.Client, HttpMethod.Post, path, form);
    }

    private Image<Rgb24> StoredImage(JsonElement generation) =>
        Image.Load<Rgb24>(Path.Combine(fixture.DataDirectory, "generations", generation.GetProperty("id").GetString()!, "input.png"));

    [Theory]
    [InlineData("jpg")]
    [InlineData("jpeg")]
    [InlineData("png")]
    [InlineData("webp")]
    [InlineData("bmp")]
    [InlineData("tiff")]
    [InlineData("tif")]
    [InlineData("heic")]
    [InlineData("heif")]
    public async Task Accepted_format_is_stored_as_an_rgb_png_with_its_pixels(string extension)
    {
        var (status, g) = await UploadAsync(ImageFixtures.Encode(extension), "anchor." + extension);
        Assert.True(status == HttpStatusCode.Accepted, g.ToString());
        Assert.True(g.GetProperty("input_image").GetBoolean());
        using var stored = StoredImage(g);
        Assert.Equal((64, 48), (stored.Width, stored.Height));
        // Lossy codecs (JPEG, HEIC) move colours a little; 40 of 255 is far from the other half's colour.
        var left = stored[8, 24]; var right = stored[56, 24];
        Assert.True(left.R > 215 && left.B < 40, $"left {left}");
        Assert.True(right.B > 215 && right.R < 40, $"right {right}");
    }

    [Theory]
    [InlineData((ushort)6)] // rotate 90° clockwise to view
    [InlineData((ushort)8)] // rotate 90° counter-clockwise to view
    public async Task Exif_orientation_is_applied_to_the_pixels(ushort orientation)
    {
        var (status, g) = await UploadAsync(ImageFixtures.JpegWithOrientation(orientation, 40, 20), "phone.jpg");
        Assert.Equal(HttpStatusCode.Accepted, status);
        using var stored = StoredImage(g);
        Assert.Equal((20, 40), (stored.Width, stored.Height));
        // The red half (left, stored) ends up on top for 6 and at the bottom for 8.
        var top = stored[10, 5];
        Assert.Equal(orientation == 6, top.R > 200);
    }

    [Fact]
    public async Task Transparency_is_flattened_onto_white()
    {
        var (status, g) = await UploadAsync(ImageFixtures.TransparentPng(), "cutout.png");
        Assert.Equal(HttpStatusCode.Accepted, status);
        using var stored = StoredImage(g);
        Assert.Equal(new Rgb24(255, 255, 255), stored[4, 4]);
        Assert.Equal(new Rgb24(255, 0, 0), stored[20, 4]);
    }

    [Fact]
    public async Task Gif_is_refused_by_name_with_the_accepted_list()
    {
        var r = await UploadAsync(ImageFixtures.Encode("gif"), "anim.gif");
        var error = AssertError(r, HttpStatusCode.BadRequest, "image", "GIF", "not accepted", "jpg, jpeg, png, webp, bmp, tiff, tif, heic, heif");
        Assert.Equal("unsupported_image_format", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Bytes_that_are_no_image_are_refused() =>
        AssertError(await UploadAsync("%PDF-1.4 not an image at all"u8.ToArray(), "doc.pdf"), HttpStatusCode.BadRequest, "image", "unknown format");

    [Fact]
    public async Task Truncated_png_is_refused_as_corrupt()
    {
        var png = ImageFixtures.Encode("png");
        AssertError(await UploadAsync(png[..(png.Length / 2)], "broken.png"), HttpStatusCode.BadRequest, "image", "could not be decoded");
    }

    [Fact]
    public async Task Oversized_upload_is_413_with_the_limit() =>
        AssertError(await UploadAsync(new byte[300_000], "big.png"), HttpStatusCode.RequestEntityTooLarge, "image", "200000 bytes");

    [Fact]
    public async Task Too_many_pixels_is_413_with_the_limit()
    {
        using var huge = new Image<Rgba32>(1100, 1000);
        AssertError(await UploadAsync(ImageFixtures.Encode("png", huge), "huge.png"), HttpStatusCode.RequestEntityTooLarge, "image", "1100x1000", "1000000 pixels");
    }

    [Fact]
    public async Task Data_uri_and_bare_base64_are_accepted_in_json()
    {
        var b64 = Convert.ToBase64String(ImageFixtures.Encode("webp"));
        foreach (var image in new[] { "data:image/webp;base64," + b64, b64 })
        {
            var (status, g) = await PostJsonAsync(fixture.Client, "/v1/videos/generations", JsonSerializer.Serialize(new { prompt = "x", image }));
            Assert.Equal(HttpStatusCode.Accepted, status);
            using var stored = StoredImage(g);
            Assert.Equal(64, stored.Width);
        }
    }

    [Fact]
    public async Task OpenAI_input_reference_is_accepted_as_file_part_bracketed_url_and_json_object()
    {
        var png = ImageFixtures.Encode("png");
        var dataUri = "data:image/png;base64," + Convert.ToBase64String(png);
        var (s1, v1) = await UploadAsync(png, "ref.png", "/v1/videos", "input_reference");
        using var form = new MultipartFormDataContent { { new StringContent("x"), "prompt" }, { new StringContent(dataUri), "input_reference[image_url]" } };
        var (s2, v2) = await SendAsync(fixture.Client, HttpMethod.Post, "/v1/videos", form);
        var (s3, v3) = await PostJsonAsync(fixture.Client, "/v1/videos", JsonSerializer.Serialize(new { prompt = "x", input_reference = new { image_url = dataUri } }));
        foreach (var (s, v) in new[] { (s1, v1), (s2, v2), (s3, v3) })
        {
            Assert.True(s == HttpStatusCode.OK, v.ToString());
            var (_, g) = await GetAsync(fixture.Client, $"/v1/videos/generations/{v.GetProperty("id").GetString()}");
            Assert.True(g.GetProperty("input_image").GetBoolean());
        }
    }

    [Fact]
    public async Task Loopback_url_is_refused_unless_private_networks_are_allowed()
    {
        var body = JsonSerializer.Serialize(new { prompt = "x", image = $"{fixture.Server.BaseAddress}healthz" });
        var error = AssertError(await PostJsonAsync(fixture.Client, "/v1/videos/generations", body), HttpStatusCode.BadRequest, "image",
            "private, loopback or link-local", "127.0.0.1", "Svi:ImageUrls:AllowPrivateNetworks");
        Assert.Equal("image_url_forbidden", error.GetProperty("code").GetString());
    }
}

public sealed class PrivateUrlsFixture : ApiOnlyFixture
{
    protected override string[] ExtraConfig => ["--Svi:ImageUrls:AllowPrivateNetworks=true", "--Svi:ImageUrls:TimeoutSeconds=1", "--Svi:MaxImageBytes=200000"];
}

/// <summary>Image URLs fetched from a local image host (allowed here by configuration).</summary>
[Collection(ServerCollection.Name)]
public sealed class ImageUrlTests(PrivateUrlsFixture fixture) : IClassFixture<PrivateUrlsFixture>, IAsyncLifetime
{
    private WebApplication imageBytes = null!;
    private string baseAddress = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        imageBytes = builder.Build();
        var png = ImageFixtures.Encode("png");
        imageBytes.MapGet("/cat.png", () => Results.File(png, "image/png"));
        imageBytes.MapGet("/big", () => Results.File(new byte[300_000], "image/png"));
        imageBytes.MapGet("/slow.png", async (CancellationToken ct) => { await Task.Delay(5000, ct); return Results.File(png, "image/png"); });
        await imageBytes.StartAsync();
        baseAddress = imageBytes.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    public async Task DisposeAsync() => await imageBytes.DisposeAsync();

    private Task<(HttpStatusCode, JsonElement)> SubmitAsync(string url) => PostJsonAsync(fixture.Server.Client,
        "/v1/videos/generations", JsonSerializer.Serialize(new { prompt = "x", image = url }));

    [Fact]
    public async Task Image_url_is_fetched_and_stored()
    {
        var (status, g) = await SubmitAsync($"{baseAddress}/cat.png");
        Assert.True(status == HttpStatusCode.Accepted, g.ToString());
        Assert.True(File.Exists(Path.Combine(fixture.DataDirectory, "generations", g.GetProperty("id").GetString()!, "input.png")));
    }

    [Fact]
    public async Task Url_answering_404_is_named() =>
        AssertError(await SubmitAsync($"{baseAddress}/missing.png"), HttpStatusCode.BadRequest, "image", "HTTP 404");

    [Fact]
    public async Task Url_larger_than_the_limit_is_413() =>
        AssertError(await SubmitAsync($"{baseAddress}/big"), HttpStatusCode.RequestEntityTooLarge, "image", "200000 bytes");

    [Fact]
    public async Task Url_slower_than_the_time_limit_is_refused() =>
        AssertError(await SubmitAsync($"{baseAddress}/slow.png"), HttpStatusCode.BadRequest, "image", "longer than 1 s");
}

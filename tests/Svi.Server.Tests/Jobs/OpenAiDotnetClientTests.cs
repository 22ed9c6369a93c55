#pragma warning disable OPENAI001 // VideoClient is marked experimental in the OpenAI 2.x library.
using System.ClientModel;
using System.Net.Http.Headers;
using OpenAI.Videos;

namespace Svi.Server.Tests.Jobs;

/// <summary>
/// OpenAI's own .NET library (NuGet <c>OpenAI</c> 2.15.0), <see cref="VideoClient"/>, against the server as a C# user of
/// the Videos API would drive it after changing the endpoint: create (JSON, multipart with an image), get, list by pages,
/// download the video and its thumbnail, remix, delete.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class OpenAiDotnetClientTests(KeyedWorkerFixture fixture) : IClassFixture<KeyedWorkerFixture>
{
    private VideoClient Client() => new(new ApiKeyCredential(KeyedWorkerFixture.Key),
        new VideoClientOptions { Endpoint = new Uri(fixture.Server.BaseAddress, "/v1") });

    private static JsonElement Json(ClientResult result) => JsonDocument.Parse(result.GetRawResponse().Content).RootElement.Clone();

    private static async Task<JsonElement> PollAsync(VideoClient client, string id)
    {
        for (var deadline = DateTime.UtcNow.AddSeconds(60); ; await Task.Delay(100))
        {
            var video = Json(await client.GetVideoAsync(id));
            if (video.GetProperty("status").GetString() is "completed" or "failed") return video;
            Assert.True(DateTime.UtcNow < deadline, $"{id} did not finish: {video}");
        }
    }

    [Fact]
    public async Task Official_dotnet_VideoClient_creates_downloads_lists_remixes_and_deletes_videos()
    {
        var client = Client();
        var json = Json(await client.CreateVideoAsync(
            BinaryContent.Create(BinaryData.FromString("""{"model": "sora-2", "prompt": "a lantern floats", "seconds": "4", "size": "1280x720"}""")),
            "application/json"));
        Assert.Equal("video", json.GetProperty("object").GetString());
        // "seconds" is the length rendered: at least the 4 asked for (one whole clip).
        Assert.InRange(double.Parse(json.GetProperty("seconds").GetString()!, System.Globalization.CultureInfo.InvariantCulture), 4, 5.1);

        using var form = new MultipartFormDataContent
        {
            { new StringContent("a flag in the wind"), "prompt" },
            { new StringContent("8"), "seconds" },
            { new StringContent("1280x720"), "size" },
        };
        var png = new ByteArrayContent(ImageFixtures.Encode("png"));
        png.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(png, "input_reference", "flag.png");
        var multipart = Json(await client.CreateVideoAsync(
            BinaryContent.Create(BinaryData.FromBytes(await form.ReadAsByteArrayAsync())), form.Headers.ContentType!.ToString()));
        Assert.InRange(double.Parse(multipart.GetProperty("seconds").GetString()!, System.Globalization.CultureInfo.InvariantCulture), 8, 10.1);

        var id = multipart.GetProperty("id").GetString()!;
        var done = await PollAsync(client, id);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(100, done.GetProperty("progress").GetDouble());
        Assert.Equal("completed", (await PollAsync(client, json.GetProperty("id").GetString()!)).GetProperty("status").GetString());

        var mp4 = (await client.DownloadVideoAsync(id)).GetRawResponse();
        Assert.Equal("video/mp4", mp4.Headers.TryGetValue("Content-Type", out var type) ? type : null);
        Assert.Equal("ftyp", System.Text.Encoding.ASCII.GetString(mp4.Content.ToArray(), 4, 4));
        var thumbnail = (await client.DownloadVideoAsync(id, "thumbnail")).GetRawResponse().Content.ToArray();
        Assert.Equal([0xFF, 0xD8], thumbnail[..2]);

        var remix = Json(await client.CreateVideoRemixAsync(id,
            BinaryContent.Create(BinaryData.FromString("""{"prompt": "the same flag at night"}""")), "application/json"));
        Assert.Equal(id, remix.GetProperty("remixed_from_video_id").GetString());
        Assert.Equal("completed", (await PollAsync(client, remix.GetProperty("id").GetString()!)).GetProperty("status").GetString());

        // One video per page. The 2.15.0 library's GetVideos yields the first page only (its continuation token is always
        // null), so a caller pages with 'after', as the Videos API documents: last_id while has_more.
        var listed = new List<string>();
        string? after = null;
        for (bool more = true; more;)
        {
            await foreach (var page in client.GetVideosAsync(limit: 1, order: "asc", after: after).GetRawPagesAsync())
            {
                var body = Json(page);
                listed.AddRange(body.GetProperty("data").EnumerateArray().Select(v => v.GetProperty("id").GetString()!));
                more = body.GetProperty("has_more").GetBoolean();
                after = body.GetProperty("last_id").GetString();
            }
        }
        Assert.Equal([json.GetProperty("id").GetString()!, id, remix.GetProperty("id").GetString()!], listed);

        var deleted = Json(await client.DeleteVideoAsync(id));
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        var gone = await Assert.ThrowsAsync<ClientResultException>(() => client.GetVideoAsync(id));
        Assert.Equal(404, gone.Status);
    }
}

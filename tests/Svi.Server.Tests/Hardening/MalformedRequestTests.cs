using System.Net.Http.Headers;

namespace Svi.Server.Tests.Hardening;

/// <summary>
/// Each malformed request that once got a 500 gets a 400 naming what is wrong, and leaves no record and no file:
/// truncated or boundary-less multipart, too many parts, text that is not valid UTF-8 or UTF-16, NUL characters.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class MalformedRequestTests(HostileInputFixture fixture) : IClassFixture<HostileInputFixture>
{

    private async Task<string[]> PostPathsAsync()
    {
        var id = await fixture.CompletedAsync();
        return ["/v1/videos/generations", "/v1/videos", "/v1/videos/extensions", $"/v1/videos/{id}/remix", $"/v1/videos/generations/{id}/extend"];
    }

    /// <summary>Sends the raw body and checks the answer is a 400 that left neither a record nor a folder behind.</summary>
    private async Task<System.Text.Json.JsonElement> AssertRefusedAsync(string path, byte[] body, string contentType, string? param, params string[] message)
    {
        long records = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM generations");
        var folders = fixture.Folders();
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        var error = AssertError(await SendAsync(fixture.Client, HttpMethod.Post, path, content), HttpStatusCode.BadRequest, param, message);
        Assert.Equal(records, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM generations"));
        Assert.Equal(folders, fixture.Folders());
        return error;
    }

    [Fact]
    public async Task Truncated_multipart_is_400_on_every_post_endpoint()
    {
        var body = Encoding.ASCII.GetBytes("--xyz\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\na fox runs thro");
        foreach (var path in await PostPathsAsync())
        {
            var error = await AssertRefusedAsync(path, body, "multipart/form-data; boundary=xyz", null, "truncated");
            Assert.Equal("invalid_form", error.GetProperty("code").GetString());
        }
    }

    /// <summary>
    /// A whole multipart body (a text part and a file part) cut at every byte before its closing delimiter is whole: in
    /// the boundary line, the part headers, the blank line, a text value, a file's bytes, the closing delimiter. Each cut
    /// is a 400 that names the body, on the four endpoints that take multipart.
    /// </summary>
    [Fact]
    public async Task A_multipart_body_cut_anywhere_before_its_end_is_400_naming_the_body_on_the_four_multipart_endpoints()
    {
        var id = await fixture.CompletedAsync();
        string[] paths = ["/v1/videos/generations", "/v1/videos", "/v1/videos/extensions", $"/v1/videos/generations/{id}/extend"];
        byte[] whole = [.. Encoding.ASCII.GetBytes("--cut\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\na fox\r\n" +
                                                   "--cut\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n" +
                                                   "Content-Type: application/octet-stream\r\n\r\n"),
                        .. new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13 },
                        .. Encoding.ASCII.GetBytes("\r\n--cut--\r\n")];
        int closing = whole.Length - "\r\n".Length;
        foreach (var path in paths)
            for (int cut = 1; cut < closing; cut++)
            {
                var error = await AssertRefusedAsync(path, whole[..cut], "multipart/form-data; boundary=cut", null, "body");
                Assert.True(error.GetProperty("code").GetString() is "invalid_form", $"{path} cut at {cut}: {error}");
            }
    }

    [Fact]
    public async Task Multipart_without_a_boundary_is_400_not_413()
    {
        foreach (var path in await PostPathsAsync())
            await AssertRefusedAsync(path, "--x\r\n\r\n"u8.ToArray(), "multipart/form-data", null, "boundary");
    }

    [Fact]
    public async Task Multipart_with_too_many_fields_is_400_not_413()
    {
        var body = new StringBuilder();
        for (int i = 0; i < 1100; i++) body.Append($"--b\r\nContent-Disposition: form-data; name=\"f{i}\"\r\n\r\nv\r\n");
        body.Append("--b--\r\n");
        await AssertRefusedAsync("/v1/videos", Encoding.ASCII.GetBytes(body.ToString()), "multipart/form-data; boundary=b", null, "limit");
    }

    [Fact]
    public async Task Invalid_utf8_in_a_json_string_is_400_naming_the_field()
    {
        byte[] body = [.. "{\"prompt\": \"a fox "u8, 0xFF, 0xC0, 0x80, .. "\"}"u8];
        foreach (var path in await PostPathsAsync())
            await AssertRefusedAsync(path, body, "application/json", "prompt", "not valid text");
    }

    [Theory]
    [InlineData("prompt", """{"prompt": "a fox \ud800 runs"}""")]
    [InlineData("prompts", """{"prompts": ["fine", "\udfff"]}""")]
    [InlineData("negative_prompt", """{"prompt": "x", "negative_prompt": "\ud800"}""")]
    public async Task Lone_surrogate_escape_is_400_naming_the_field(string field, string json) =>
        await AssertRefusedAsync("/v1/videos/generations", Encoding.UTF8.GetBytes(json), "application/json", field, "surrogate");

    [Fact]
    public async Task Escaped_nul_in_a_prompt_is_400_on_every_post_endpoint()
    {
        foreach (var path in await PostPathsAsync())
            await AssertRefusedAsync(path, """{"prompt": "a fox\u0000 runs"}"""u8.ToArray(), "application/json", "prompt", "NUL");
    }

    [Fact]
    public async Task Raw_nul_in_a_multipart_prompt_is_400_on_every_post_endpoint()
    {
        foreach (var path in await PostPathsAsync())
        {
            using var form = new MultipartFormDataContent("nul") { { new StringContent("a fox\0 runs"), "prompt" } };
            await AssertRefusedAsync(path, await form.ReadAsByteArrayAsync(), "multipart/form-data; boundary=nul", "prompt", "NUL");
        }
    }

    [Fact]
    public async Task Nul_in_the_negative_prompt_is_400() =>
        await AssertRefusedAsync("/v1/videos/generations", """{"prompt": "x", "negative_prompt": "\u0000"}"""u8.ToArray(),
            "application/json", "negative_prompt", "NUL");

    [Fact]
    public async Task Json_body_over_its_limit_is_413_even_where_multipart_may_be_larger()
    {
        // 400 KB of JSON: over Svi:MaxJsonBodyBytes (300000) though under the image endpoint's multipart limit.
        var json = "{\"prompt\": \"" + new string('a', 400_000) + "\"}";
        AssertError(await PostJsonAsync(fixture.Client, "/v1/videos/generations", json), HttpStatusCode.RequestEntityTooLarge, null, "larger");
    }

    [Fact]
    public async Task Text_only_endpoints_take_no_large_multipart_body()
    {
        var id = await fixture.CompletedAsync();
        using var form = new MultipartFormDataContent
        {
            { new StringContent("x"), "prompt" }, { new ByteArrayContent(new byte[5 * 1024 * 1024]), "file", "big.bin" },
        };
        // 100-continue: the server answers from the declared length, before the client sends the body.
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/videos/{id}/remix") { Content = form };
        request.Headers.ExpectContinue = true;
        using var response = await fixture.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("larger", await response.Content.ReadAsStringAsync());
    }
}

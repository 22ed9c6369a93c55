using System.Text.Json.Nodes;

namespace Svi.Server.Tests.Api;

/// <summary>
/// Both API surfaces and <c>./svi generate</c> build a generation through one validator: the same bad value gets the same
/// error, and <c>--dry-run</c> prints what the server stores and returns for the same request.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SpecParityTests(ApiOnlyFixture fixture) : IClassFixture<ApiOnlyFixture>
{

    public static TheoryData<string, string, string[], string?> BadValues => new()
    {
        { "duration", """{"prompt": "a cat", "duration": 200}""", ["--duration", "200"], """{"prompt": "a cat", "seconds": "200"}""" },
        { "resolution", """{"prompt": "a cat", "resolution": "640x480"}""", ["--resolution", "640x480"], """{"prompt": "a cat", "size": "640x480"}""" },
        { "seed", """{"prompt": "a cat", "seed": -1}""", ["--seed", "-1"], null },
        { "t2v_quality", """{"prompt": "a cat", "t2v_quality": "best"}""", ["--t2v-quality", "best"], null },
        { "fps", """{"prompt": "a cat", "fps": 24}""", ["--fps", "24"], null },
        { "cfg", """{"prompt": "a cat", "cfg": 2.5}""", ["--cfg", "2.5"], null },
        { "recipe", """{"prompt": "a cat", "recipe": "turbo"}""", ["--recipe", "turbo"], null },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task The_same_bad_value_gets_the_same_error_from_both_surfaces_and_the_command_line(string param, string native, string[] flags,
        string? openAi)
    {
        var nativeError = AssertError(await PostJsonAsync(fixture.Client, "/v1/videos/generations", native), HttpStatusCode.BadRequest, param);
        string message = nativeError.GetProperty("message").GetString()!;

        var (code, _, error) = await SviCli.RunAsync(["generate", "--dry-run", "--prompt", "a cat", .. flags]);
        Assert.Equal(2, code);
        Assert.Equal($"error: {message}", error.Trim());

        if (openAi is null) return;
        string openAiParam = param switch { "duration" => "seconds", "resolution" => "size", _ => param };
        var openAiError = AssertError(await PostJsonAsync(fixture.Client, "/v1/videos", openAi), HttpStatusCode.BadRequest, openAiParam);
        // The same rule and text; only the field is named as OpenAI's body names it.
        Assert.Equal(message.Replace("'duration'", "'seconds'").Replace("'resolution'", "'size'"),
            openAiError.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_bad_webhook_url_gets_the_same_error_from_both_surfaces()
    {
        const string body = """{"prompt": "a cat", "webhook_url": "ftp://hooks.example.com/svi"}""";
        var native = AssertError(await PostJsonAsync(fixture.Client, "/v1/videos/generations", body), HttpStatusCode.BadRequest, "webhook_url");
        var openAi = AssertError(await PostJsonAsync(fixture.Client, "/v1/videos", body), HttpStatusCode.BadRequest, "webhook_url");
        Assert.Equal(native.GetProperty("message").GetString(), openAi.GetProperty("message").GetString());
        Assert.Equal("invalid_webhook_url", openAi.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_blank_prompt_and_an_image_that_is_not_one_are_refused_alike_by_the_server_and_the_command_line()
    {
        var blank = AssertError(await PostJsonAsync(fixture.Client, "/v1/videos/generations", """{"prompt": "  "}"""), HttpStatusCode.BadRequest, "prompt");
        var (code, _, error) = await SviCli.RunAsync("generate", "--dry-run", "--prompt", "  ");
        Assert.Equal((2, $"error: {blank.GetProperty("message").GetString()}"), (code, error.Trim()));

        byte[] notAnImage = "GIF89a but not really"u8.ToArray();
        var dataUri = "data:image/png;base64," + Convert.ToBase64String(notAnImage);
        var image = AssertError(await PostJsonAsync(fixture.Client, "/v1/videos/generations",
            JsonSerializer.Serialize(new { prompt = "a cat", image = dataUri })), HttpStatusCode.BadRequest, "image");
        using var file = new TempFile(notAnImage);
        (code, _, error) = await SviCli.RunAsync("generate", "--dry-run", "--prompt", "a cat", "--image", file.Path);
        Assert.Equal((2, $"error: {image.GetProperty("message").GetString()}"), (code, error.Trim()));
    }

    [Theory]
    [InlineData(18, "832x480")]
    [InlineData(18, "480x832")]
    [InlineData(60, "832x480")]
    [InlineData(60, "480x832")]
    [InlineData(121.5, "832x480")]
    [InlineData(121.5, "480x832")]
    [InlineData(18, "1280x720")]
    [InlineData(60, "1280x720")]
    [InlineData(121.5, "1280x720")]
    public async Task Dry_run_prints_the_spec_the_server_stores_and_the_fields_its_create_response_shows(double seconds, string size)
    {
        string text = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var (status, created) = await PostJsonAsync(fixture.Client, "/v1/videos/generations",
            JsonSerializer.Serialize(new { prompt = "a lighthouse", duration = seconds, resolution = size, seed = 7 }));
        Assert.Equal(HttpStatusCode.Accepted, status);

        // No weights are installed or loaded: random weights and the (absent) installed files answer alike, at once. The tiny
        // random-weight architecture renders no 720p (TinyDeploymentSizeTests), so 720p is the A14B deployment's answer alone.
        foreach (var weights in size == "1280x720" ? ["files"] : new[] { "files", "random" })
        {
            var (code, output, error) = await SviCli.RunAsync("generate", "--dry-run", "--weights", weights, "--prompt", "a lighthouse",
                "--duration", text, "--resolution", size, "--seed", "7", "--models-dir", "/nonexistent");
            Assert.True(code == 0, $"exit {code}: {error}");
            var dryRun = JsonNode.Parse(output)!.AsObject();

            string id = created.GetProperty("id").GetString()!;
            var stored = JsonNode.Parse((await fixture.Database.ScalarAsync<string>($"SELECT spec::text FROM generations WHERE id = '{id}'"))!)!.AsObject();
            stored["clips_total"] = await fixture.Database.ScalarAsync<int>($"SELECT clips_total FROM generations WHERE id = '{id}'");
            Assert.True(JsonNode.DeepEquals(stored, dryRun), $"stored {stored.ToJsonString()}\ndry run {dryRun.ToJsonString()}");

            var response = JsonNode.Parse(created.GetRawText())!.AsObject();
            foreach (var (name, value) in dryRun.Where(p => p.Key != "motion_latents"))
                Assert.True(JsonNode.DeepEquals(response[name], value), $"{name}: response {response[name]?.ToJsonString()}, dry run {value?.ToJsonString()}");
        }
    }

    [Fact]
    public async Task Dry_run_shows_the_fps_asked_for()
    {
        var (code, output, error) = await SviCli.RunAsync("generate", "--dry-run", "--prompt", "a lighthouse", "--fps", "32");
        Assert.True(code == 0, $"exit {code}: {error}");
        Assert.Equal(32, JsonNode.Parse(output)!["fps"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_idempotency_key_replays_any_body_that_validates_to_the_same_spec_and_refuses_a_different_one()
    {
        const string key = "spec-hash";
        var (status, first) = await SendAsync(fixture.Client, HttpMethod.Post, "/v1/videos/generations",
            Json("""{"prompt": "a fox", "duration": 18}"""), idempotencyKey: key);
        Assert.Equal(HttpStatusCode.Accepted, status);

        // The defaults written out, numbers as text, and the same fields as a form: the same validated spec.
        var (_, spelledOut) = await SendAsync(fixture.Client, HttpMethod.Post, "/v1/videos/generations", Json("""
            {"prompt": "a fox", "duration": "18", "resolution": "832x480", "recipe": "distilled", "cfg": 1.0, "fps": 16, "t2v_quality": "quality"}
            """), idempotencyKey: key);
        Assert.Equal(first.GetProperty("id").GetString(), spelledOut.GetProperty("id").GetString());
        var (_, form) = await SendAsync(fixture.Client, HttpMethod.Post, "/v1/videos/generations",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["prompt"] = "a fox", ["duration"] = "18" }), idempotencyKey: key);
        Assert.Equal(first.GetProperty("id").GetString(), form.GetProperty("id").GetString());

        AssertError(await SendAsync(fixture.Client, HttpMethod.Post, "/v1/videos/generations",
            Json("""{"prompt": "a fox", "duration": 18, "cfg": 1.2}"""), idempotencyKey: key), HttpStatusCode.Conflict, "Idempotency-Key");
    }

    sealed class TempFile : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"svi-spec-{Guid.NewGuid():N}.png");
        public TempFile(byte[] bytes) => File.WriteAllBytes(Path, bytes);
        public void Dispose() => File.Delete(Path);
    }
}

namespace Svi.Server.Tests.Api;

/// <summary>Extension, remix, spritesheet previews and idempotent creates through the HTTP API, on the tiny-model renderer.</summary>
[Collection(ServerCollection.Name)]
public sealed class ContinuationTests(TinyRendererFixture fixture) : IClassFixture<TinyRendererFixture>
{
    const string Key = TinyRendererFixture.Key;

    async Task<string> CreateNativeAsync(string prompt, int frames, long seed, bool wait = true)
    {
        var strengths = new { lora_high = 0.8 };
        var created = await fixture.SubmitAsync(new { prompt, duration = frames / 16.0, seed, image = ImageFixtures.PngDataUrl, cfg = 1.5, lora_strengths = strengths });
        var id = created.GetProperty("id").GetString()!;
        if (wait) await fixture.CompletedAsync(id);
        return id;
    }

    async Task<RawVideo> FramesAsync(string id)
    {
        var path = await fixture.DownloadAsync($"/v1/videos/{id}/content", id);
        return await new FfmpegVideoMedia().ReadFramesAsync(path, null, null, null, CancellationToken.None);
    }

    [Fact]
    public async Task Native_extension_of_an_n_clip_video_by_one_clip_equals_an_uninterrupted_generation_with_that_seed()
    {
        var source = await CreateNativeAsync("a red kite", 81 + 76, seed: 31);
        var (status, accepted) = await PostJsonAsync(fixture.Client, $"/v1/videos/generations/{source}/extend",
            """{"prompt": "a red kite", "duration": 4.75}""", Key);
        Assert.True(status == HttpStatusCode.Accepted, accepted.ToString());
        Assert.Equal(3, accepted.GetProperty("clips_total").GetInt32());
        Assert.Equal((81 + 76 + 76) / 16.0, accepted.GetProperty("duration").GetDouble());
        Assert.Equal(31, accepted.GetProperty("seed").GetInt64());
        Assert.Equal(0.8, accepted.GetProperty("lora_strengths").GetProperty("lora_high").GetDouble());
        Assert.Equal(source, accepted.GetProperty("extended_from").GetString());
        var extension = await fixture.CompletedAsync(accepted.GetProperty("id").GetString()!);
        Assert.Equal(81 + 76 + 76, extension.GetProperty("frames").GetInt32());

        var whole = await CreateNativeAsync("a red kite", 81 + 76 + 76, seed: 31);
        var extended = await FramesAsync(extension.GetProperty("id").GetString()!);
        var uninterrupted = await FramesAsync(whole);
        Assert.Equal(81 + 76 + 76, extended.FrameCount);
        Assert.True(uninterrupted.Rgb24.Span.SequenceEqual(extended.Rgb24.Span), "the extension's frames differ from the uninterrupted run's");
        var original = await FramesAsync(source);
        Assert.True(original.Rgb24.Span.SequenceEqual(extended.Rgb24.Span[..original.Rgb24.Length]), "the extension does not start with the source");
    }

    [Fact]
    public async Task Openai_json_extension_reports_the_stitched_total_and_the_new_prompt()
    {
        var source = await CreateNativeAsync("a lighthouse", 100, seed: 2);
        var (status, video) = await PostJsonAsync(fixture.Client, "/v1/videos/extensions",
            $$$"""{"prompt": "waves hit the lighthouse", "seconds": "4", "video": {"id": "{{{source}}}"}}""", Key);
        Assert.True(status == HttpStatusCode.OK, video.ToString());
        // 100 frames are 2 clips (157 frames before the trim) + 64 new frames
        Assert.Equal("13.8125", video.GetProperty("seconds").GetString());
        Assert.Equal("waves hit the lighthouse", video.GetProperty("prompt").GetString());
        var done = await fixture.CompletedAsync(video.GetProperty("id").GetString()!);
        Assert.Equal(157 + 64, done.GetProperty("frames").GetInt32());
        Assert.Equal(new[] { "a lighthouse", "a lighthouse", "waves hit the lighthouse" },
            done.GetProperty("prompts").EnumerateArray().Select(p => p.GetString()!).ToArray());
    }

    [Fact]
    public async Task Extension_errors_name_the_problem_with_the_right_status()
    {
        var running = await CreateNativeAsync("still rendering", 81 * 3, seed: 1, wait: false);
        var ext = (string id) => $$$"""{"prompt": "more", "video": {"id": "{{{id}}}"}}""";
        AssertError(await PostJsonAsync(fixture.Client, "/v1/videos/extensions", ext(running), Key), HttpStatusCode.Conflict, "video", "only a completed video");
        AssertError(await PostJsonAsync(fixture.Client, $"/v1/videos/{running}/remix", """{"prompt": "x"}""", Key), HttpStatusCode.Conflict, "video_id", "only a completed video");
        await SendAsync(fixture.Client, HttpMethod.Post, $"/v1/videos/generations/{running}/cancel", null, Key);
        AssertError(await PostJsonAsync(fixture.Client, "/v1/videos/extensions", ext(running), TinyRendererFixture.OtherKey),
            HttpStatusCode.NotFound, "id", "No video");
        AssertError(await PostJsonAsync(fixture.Client, "/v1/videos/extensions", ext("video_00000000000000000000000000000000"), Key),
            HttpStatusCode.NotFound, "id");
        AssertError(await PostJsonAsync(fixture.Client, "/v1/videos/extensions", """{"prompt": "more"}""", Key),
            HttpStatusCode.BadRequest, "video", "video[id]");

        var (_, failedBody) = await PostJsonAsync(fixture.Client, "/v1/videos/generations",
            JsonSerializer.Serialize(new { prompt = TinySviRenderer.FailPrompt, image = ImageFixtures.PngDataUrl }), Key);
        var failed = failedBody.GetProperty("id").GetString()!;
        await fixture.Server.WaitForAsync(failed, SviTestServer.IsTerminal, 60, Key);
        AssertError(await PostJsonAsync(fixture.Client, $"/v1/videos/generations/{failed}/extend", """{"prompt": "more"}""", Key),
            HttpStatusCode.BadRequest, "id", "failed");

        var done = await CreateNativeAsync("short", 81, seed: 3);
        AssertError(await PostJsonAsync(fixture.Client, $"/v1/videos/generations/{done}/extend", """{"prompt": "more", "duration": 120}""", Key),
            HttpStatusCode.BadRequest, "duration", "121.5 s", "at most 116.4375 s");
        AssertError(await PostJsonAsync(fixture.Client, $"/v1/videos/generations/{done}/extend", """{"prompt": "more", "duration": 0}""", Key),
            HttpStatusCode.BadRequest, "duration");
        AssertError(await PostJsonAsync(fixture.Client, $"/v1/videos/generations/{done}/extend", """{"prompt": "more", "size": "1x1"}""", Key),
            HttpStatusCode.BadRequest, "size", "Unknown parameter");

        await fixture.Database.ScalarAsync<int>($"UPDATE generations SET assets_deleted = true WHERE id = '{done}'");
        AssertError(await PostJsonAsync(fixture.Client, "/v1/videos/extensions", ext(done), Key), HttpStatusCode.BadRequest, "video", "expired");
        AssertError(await PostJsonAsync(fixture.Client, $"/v1/videos/{done}/remix", """{"prompt": "x"}""", Key), HttpStatusCode.BadRequest, "video_id", "expired");
    }

    [Fact]
    public async Task A_trimmed_video_without_its_last_clips_latent_cannot_be_extended()
    {
        var source = await CreateNativeAsync("a heron", 81 + 10, seed: 8);
        File.Delete(Path.Combine(fixture.DataDirectory, "generations", source, "checkpoint", "final_clip_latent.safetensors"));
        AssertError(await PostJsonAsync(fixture.Client, $"/v1/videos/generations/{source}/extend", """{"prompt": "it flies"}""", Key),
            HttpStatusCode.BadRequest, "id", "the raw latent of its last clip");
        Assert.False(Directory.Exists(Path.Combine(fixture.DataDirectory, "generations")) &&
            Directory.EnumerateDirectories(Path.Combine(fixture.DataDirectory, "generations")).Count() > (await IdsAsync()).Count);
    }

    [Fact]
    public async Task The_same_idempotency_key_twice_creates_one_extension_and_one_remix()
    {
        var source = await CreateNativeAsync("a tram", 81, seed: 4);
        var body = $$$"""{"prompt": "the tram leaves", "video": {"id": "{{{source}}}"}}""";
        var first = await SendAsync(fixture.Client, HttpMethod.Post, "/v1/videos/extensions", Json(body), Key, "ext-key");
        var second = await SendAsync(fixture.Client, HttpMethod.Post, "/v1/videos/extensions", Json(body), Key, "ext-key");
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(first.Body.GetProperty("id").GetString(), second.Body.GetProperty("id").GetString());
        AssertError(await SendAsync(fixture.Client, HttpMethod.Post, "/v1/videos/extensions",
            Json(body.Replace("leaves", "stops")), Key, "ext-key"), HttpStatusCode.Conflict, "Idempotency-Key", "different request body");
        // keys are scoped per API key: another key's request with the same key is a new request, not a conflict
        var other = await SendAsync(fixture.Client, HttpMethod.Post, "/v1/videos", Json("""{"prompt": "x"}"""), TinyRendererFixture.OtherKey, "ext-key");
        Assert.Equal(HttpStatusCode.OK, other.Status);
        Assert.NotEqual(first.Body.GetProperty("id").GetString(), other.Body.GetProperty("id").GetString());

        var remix1 = await SendAsync(fixture.Client, HttpMethod.Post, $"/v1/videos/{source}/remix", Json("""{"prompt": "a bus"}"""), Key, "remix-key");
        var remix2 = await SendAsync(fixture.Client, HttpMethod.Post, $"/v1/videos/{source}/remix", Json("""{"prompt": "a bus"}"""), Key, "remix-key");
        Assert.Equal(remix1.Body.GetProperty("id").GetString(), remix2.Body.GetProperty("id").GetString());
        Assert.Equal(1, await fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM generations WHERE remixed_from = '{source}'"));
        Assert.Equal(1, await fixture.Database.ScalarAsync<long>($"SELECT count(*) FROM generations WHERE extended_from = '{source}'"));
    }

    [Fact]
    public async Task Remix_keeps_the_seed_image_and_settings_and_changes_only_the_prompt()
    {
        var source = await CreateNativeAsync("a fox", 81, seed: 9);
        var (status, remix) = await PostJsonAsync(fixture.Client, $"/v1/videos/{source}/remix", """{"prompt": "a fox jumps"}""", Key);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(source, remix.GetProperty("remixed_from_video_id").GetString());
        var a = await fixture.CompletedAsync(source);
        var b = await fixture.CompletedAsync(remix.GetProperty("id").GetString()!);
        foreach (var field in new[] { "seed", "cfg", "duration", "resolution", "negative_prompt", "input_image", "mode", "lora_strengths" })
            Assert.Equal(a.GetProperty(field).ToString(), b.GetProperty(field).ToString());
        Assert.Equal("a fox jumps", b.GetProperty("prompt").GetString());
        Assert.Equal(0.8, b.GetProperty("lora_strengths").GetProperty("lora_high").GetDouble());
        var fileA = Path.Combine(fixture.DataDirectory, "generations", source, "input.png");
        var fileB = Path.Combine(fixture.DataDirectory, "generations", b.GetProperty("id").GetString()!, "input.png");
        Assert.Equal(await File.ReadAllBytesAsync(fileA), await File.ReadAllBytesAsync(fileB));
        // the prompt changes the video (stand-in text encoder: each prompt its own context)
        var framesA = await FramesAsync(source);
        var framesB = await FramesAsync(b.GetProperty("id").GetString()!);
        Assert.False(framesA.Rgb24.Span.SequenceEqual(framesB.Rgb24.Span));
    }

    [Theory]
    [InlineData("/v1/videos/{0}/content?variant=spritesheet")]
    [InlineData("/v1/videos/generations/{0}/content?variant=spritesheet")]
    public async Task Spritesheet_is_a_jpeg_grid_of_4_by_4_tiles_256_pixels_wide(string path)
    {
        var id = await CreateNativeAsync("a clock", 81, seed: 5);
        using var request = new HttpRequestMessage(HttpMethod.Get, string.Format(path, id));
        request.Headers.Authorization = new("Bearer", Key);
        request.Headers.Accept.ParseAdd("application/binary");
        using var response = await fixture.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        using var image = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(await response.Content.ReadAsByteArrayAsync());
        // the record says 832x480 (the test renderer draws 32×16): tiles 256 × 148
        Assert.Equal((4 * 256, 4 * 148), (image.Width, image.Height));
        Assert.Equal(new[] { 0, 5, 11, 16, 21, 27, 32, 37, 43, 48, 53, 59, 64, 69, 75, 80 }, Spritesheet.FrameIndices(81).ToArray());
    }

    [Fact]
    public async Task Spritesheet_of_an_unfinished_video_is_not_ready()
    {
        var id = await CreateNativeAsync("slow", 81 * 3, seed: 6, wait: false);
        AssertError(await GetAsync(fixture.Client, $"/v1/videos/{id}/content?variant=spritesheet", Key), HttpStatusCode.Conflict, "id", "not ready");
        await SendAsync(fixture.Client, HttpMethod.Post, $"/v1/videos/generations/{id}/cancel", null, Key);
    }

    [Fact]
    public async Task Configured_aliases_resolve_to_svi_and_are_listed()
    {
        var (_, models) = await GetAsync(fixture.Client, "/v1/models", Key);
        var ids = models.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Equal(new[] { "svi-2-0-pro", "sora-2", "sora-2-pro" }, ids.Select(i => i!).ToArray());
        var (status, video) = await PostJsonAsync(fixture.Client, "/v1/videos", """{"prompt": "x", "model": "sora-2-pro"}""", Key);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("svi-2-0-pro", video.GetProperty("model").GetString());
    }

    static string ClientDirectory([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "openai-client"));

    [Fact]
    public async Task Official_openai_client_extends_remixes_and_downloads_spritesheets_and_gets_our_errors()
    {
        var dir = ClientDirectory();
        Assert.True(Directory.Exists(Path.Combine(dir, "node_modules", "openai")), $"run 'npm ci' in {dir} first (./svi test does)");
        var image = Path.Combine(fixture.DataDirectory, "kite.png");
        await File.WriteAllBytesAsync(image, ImageFixtures.Encode("png"));
        var info = new System.Diagnostics.ProcessStartInfo("node") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        var clip = await MakeMp4Async("client-clip.mp4", 2);
        foreach (var arg in new[] { "continuations.mjs", new Uri(fixture.Server.BaseAddress, "/v1").ToString(), Key, image, clip })
            info.ArgumentList.Add(arg);
        using var node = System.Diagnostics.Process.Start(info)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        await node.WaitForExitAsync(timeout.Token);
        Assert.True(node.ExitCode == 0, $"node exited {node.ExitCode}\n{await stderr}\n{await stdout}");
        var r = JsonDocument.Parse(await stdout).RootElement;

        var extended = r.GetProperty("extended");
        Assert.Equal("video", extended.GetProperty("object").GetString());
        // a 1-clip source (81 frames) + "4" s = 64 new frames: 145 frames at 16 fps
        Assert.Equal("9.0625", extended.GetProperty("seconds").GetString());
        Assert.Equal("the kite dives", extended.GetProperty("prompt").GetString());
        Assert.Equal("completed", r.GetProperty("extendedFinal").GetString());
        Assert.Equal(r.GetProperty("source").GetString(), r.GetProperty("remixed").GetProperty("remixed_from_video_id").GetString());
        Assert.Equal("completed", r.GetProperty("remixedFinal").GetString());
        Assert.True(r.GetProperty("spritesheet").GetProperty("soi").GetBoolean());
        Assert.Equal("ftyp", r.GetProperty("extendedContent").GetString());

        void Failure(string name, int status, string type, string? code)
        {
            var e = r.GetProperty(name);
            Assert.True(e.ValueKind == JsonValueKind.Object, $"{name} did not fail");
            Assert.Equal((status, type), (e.GetProperty("status").GetInt32(), e.GetProperty("type").GetString()));
            if (code is not null) Assert.Equal(code, e.GetProperty("code").GetString());
        }
        // an uploaded 2 s clip (32 frames at 16 fps) + 64 new frames
        Assert.Equal("6", r.GetProperty("fromUpload").GetProperty("seconds").GetString());
        Assert.Equal("completed", r.GetProperty("fromUpload").GetProperty("status").GetString());
        Failure("corruptUpload", 400, "BadRequestError", "invalid_video");
        Failure("extendUnknown", 404, "NotFoundError", "not_found");
        Failure("extendRunning", 409, "ConflictError", "video_not_ready");
        Failure("edit", 400, "BadRequestError", "unsupported_operation");
        Failure("character", 400, "BadRequestError", "unsupported_operation");
        Failure("getCharacter", 400, "BadRequestError", "unsupported_operation");
    }

    async Task<string> MakeMp4Async(string name, double seconds, int fps = 24)
    {
        var path = Path.Combine(fixture.DataDirectory, name);
        await FfmpegTestRenderer.RunFfmpegAsync(
            $"-y -v error -f lavfi -i testsrc=size=64x48:rate={fps} -t {seconds} -pix_fmt yuv420p -c:v libx264 -preset ultrafast \"{path}\"",
            CancellationToken.None);
        return path;
    }

    static MultipartFormDataContent UploadForm(byte[] video, string seconds = "4") => new()
    {
        { new StringContent("the pattern moves on"), "prompt" }, { new StringContent(seconds), "seconds" },
        { new ByteArrayContent(video), "video", "clip.mp4" },
    };

    [Fact]
    public async Task Extension_of_an_uploaded_mp4_starts_with_its_frames_resampled_to_16_fps_and_adds_the_new_clips()
    {
        var mp4 = await MakeMp4Async("upload.mp4", 2);
        var (status, video) = await SendAsync(fixture.Client, HttpMethod.Post, "/v1/videos/extensions", UploadForm(await File.ReadAllBytesAsync(mp4)), Key);
        Assert.True(status == HttpStatusCode.OK, video.ToString());
        // 2 s at 24 fps = 32 frames at 16 fps, + 64 new frames
        Assert.Equal("6", video.GetProperty("seconds").GetString());
        Assert.Equal("832x480", video.GetProperty("size").GetString());
        var id = video.GetProperty("id").GetString()!;
        var done = await fixture.CompletedAsync(id);
        Assert.Equal(96, done.GetProperty("frames").GetInt32());
        Assert.Equal(2, done.GetProperty("clips_total").GetInt32());

        var output = await FramesAsync(id);
        Assert.Equal(96, output.FrameCount);
        // the first 32 frames are the upload's, resampled and cropped like the anchor (tolerance: x264 at crf 18 on 32×16)
        var expected = await new FfmpegVideoMedia().ReadFrameRangeAsync(await ResampledAsync(mp4), TinySviRenderer.Width, TinySviRenderer.Height, 0, 32,
            CancellationToken.None);
        var a = expected.Rgb24.Span;
        var b = output.Rgb24.Span[..a.Length];
        double diff = 0;
        for (int i = 0; i < a.Length; i++) diff += Math.Abs(a[i] - b[i]);
        Assert.True(diff / a.Length < 8, $"mean difference {diff / a.Length:0.00} levels");
    }

    async Task<HashSet<string>> IdsAsync()
    {
        await using var conn = new Npgsql.NpgsqlConnection(fixture.Database.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("SELECT id FROM generations", conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var ids = new HashSet<string>();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        return ids;
    }

    // The upload decoded at 16 fps and 32×16 without re-encoding (lossless), as the reference for the output's first frames.
    async Task<string> ResampledAsync(string mp4)
    {
        var path = Path.ChangeExtension(mp4, ".mkv");
        await FfmpegTestRenderer.RunFfmpegAsync(
            $"-y -v error -i \"{mp4}\" -vf fps=16,scale=32:16:force_original_aspect_ratio=increase,crop=32:16,setsar=1 -c:v ffv1 \"{path}\"",
            CancellationToken.None);
        return path;
    }

    [Fact]
    public async Task Uploads_that_are_corrupt_too_short_or_too_long_get_400_with_the_reason()
    {
        var before = await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM generations");
        AssertError(await SendAsync(fixture.Client, HttpMethod.Post, "/v1/videos/extensions", UploadForm([1, 2, 3, 4, 5]), Key),
            HttpStatusCode.BadRequest, "video", "cannot be read");
        var whole = await File.ReadAllBytesAsync(await MakeMp4Async("whole.mp4", 2));
        AssertError(await SendAsync(fixture.Client, HttpMethod.Post, "/v1/videos/extensions", UploadForm(whole[..(whole.Length / 2)]), Key),
            HttpStatusCode.BadRequest, "video", "cannot be read");
        var tiny = await File.ReadAllBytesAsync(await MakeMp4Async("tiny.mp4", 0.1));
        AssertError(await SendAsync(fixture.Client, HttpMethod.Post, "/v1/videos/extensions", UploadForm(tiny), Key),
            HttpStatusCode.BadRequest, "video", "at least 5");
        AssertError(await SendAsync(fixture.Client, HttpMethod.Post, "/v1/videos/extensions", UploadForm(whole, "120"), Key),
            HttpStatusCode.BadRequest, "seconds", "longest video is 121.5 s");
        // no record and no files were kept of the refused uploads
        Assert.Equal(before, await fixture.Database.ScalarAsync<long>("SELECT count(*) FROM generations"));
        var folders = Directory.EnumerateDirectories(Path.Combine(fixture.DataDirectory, "generations")).Select(f => Path.GetFileName(f)!);
        var known = await IdsAsync();
        Assert.All(folders, f => Assert.Contains(f, known));
    }
}

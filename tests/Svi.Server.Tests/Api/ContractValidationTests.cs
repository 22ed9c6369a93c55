namespace Svi.Server.Tests.Api;

/// <summary>Every request field of both surfaces: accepted values, defaults, and the error text of rejected ones.</summary>
[Collection(ServerCollection.Name)]
public sealed class ContractValidationTests(ApiOnlyFixture fixture) : IClassFixture<ApiOnlyFixture>
{

    [Theory]
    [InlineData("""{"prompt": "a cat", "duration": 0}""", "duration", "greater than 0 and at most 121.5")]
    [InlineData("""{"prompt": "a cat", "duration": -3}""", "duration", "got -3")]
    [InlineData("""{"prompt": "a cat", "duration": 121.6}""", "duration", "at most 121.5")]
    [InlineData("""{"prompt": "a cat", "duration": "long"}""", "duration", "got 'long'")]
    [InlineData("""{"prompt": "a cat", "duration": true}""", "duration", "got a JSON boolean")]
    [InlineData("""{"prompt": "a cat", "resolution": "1024x1024"}""", "resolution", "832x480, 480x832, 720x1280, 1280x720", "got '1024x1024'")]
    [InlineData("""{"prompt": "a cat", "resolution": 832}""", "resolution", "must be a string")]
    [InlineData("""{"prompt": "a cat", "cfg": 0.5}""", "cfg", "from 1.0 to 2.0 with the distilled recipe", "got 0.5")]
    [InlineData("""{"prompt": "a cat", "cfg": 2.5}""", "cfg", "from 1.0 to 2.0")]
    [InlineData("""{"prompt": "a cat", "recipe": "reference", "cfg": 10.5}""", "cfg", "from 1 to 10 with the reference recipe", "got 10.5")]
    [InlineData("""{"prompt": "a cat", "recipe": "turbo"}""", "recipe", "distilled, reference", "got 'turbo'")]
    [InlineData("""{"prompt": "a cat", "t2v_quality": "best"}""", "t2v_quality", "fast, quality", "got 'best'")]
    [InlineData("""{"prompt": "a cat", "seed": -1}""", "seed", "integer from 0 to")]
    [InlineData("""{"prompt": "a cat", "seed": 1.5}""", "seed", "integer from 0 to")]
    [InlineData("""{"prompt": "a cat", "model": "veo-3"}""", "model", "'veo-3' is not served here", "svi-2-0-pro")]
    [InlineData("""{"prompt": "a cat", "steps": 4}""", "steps", "Unknown parameter 'steps'", "Allowed parameters: model, prompt, prompts, image")]
    [InlineData("""{"duration": 6}""", "prompt", "'prompt' is required")]
    [InlineData("""{"prompt": "   "}""", "prompt", "'prompt' is required")]
    [InlineData("""{"prompt": 5}""", "prompt", "must be a string")]
    [InlineData("""{"prompts": []}""", "prompts", "1 to 24 non-empty strings")]
    [InlineData("""{"prompts": ["a", ""]}""", "prompts", "1 to 24 non-empty strings")]
    [InlineData("""{"prompts": "a"}""", "prompts", "1 to 24 non-empty strings")]
    [InlineData("""{"prompt": "a cat", "negative_prompt": 3}""", "negative_prompt", "must be a string")]
    [InlineData("""{"prompt": "a cat", "image": "ftp://example.com/a.png"}""", "image", "only http and https")]
    [InlineData("""{"prompt": "a cat", "image": "not base64 !!"}""", "image", "neither an http(s) URL nor valid base64")]
    [InlineData("""{"prompt": "a cat", "image": "data:image/png,abc"}""", "image", "not a base64 one")]
    [InlineData("""{"prompt": "a cat", "image": 12}""", "image", "must be a string")]
    public async Task Native_field_out_of_range_is_rejected_with_a_message_naming_it(string body, string param, params string[] parts)
    {
        var error = AssertError(await PostJsonAsync(fixture.Client, "/v1/videos/generations", body), HttpStatusCode.BadRequest, param, parts);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Overlong_prompt_is_rejected_with_the_limit()
    {
        var body = JsonSerializer.Serialize(new { prompt = new string('a', 20_001) });
        AssertError(await PostJsonAsync(fixture.Client, "/v1/videos/generations", body), HttpStatusCode.BadRequest, "prompt", "20001 characters", "limit is 20000");
    }

    [Theory]
    [InlineData("[1,2]", "must be a JSON object")]
    [InlineData("{\"prompt\": ", "not valid JSON")]
    public async Task Malformed_body_is_a_400_not_a_500(string body, string part) =>
        AssertError(await PostJsonAsync(fixture.Client, "/v1/videos/generations", body), HttpStatusCode.BadRequest, null, part);

    [Fact]
    public async Task Unsupported_content_type_is_named()
    {
        var r = await SendAsync(fixture.Client, HttpMethod.Post, "/v1/videos/generations", new StringContent("prompt=x", System.Text.Encoding.UTF8, "text/plain"));
        AssertError(r, HttpStatusCode.UnsupportedMediaType, null, "text/plain", "application/json or multipart/form-data");
    }

    [Fact]
    public async Task Defaults_fill_every_field_that_is_left_out()
    {
        var (status, g) = await PostJsonAsync(fixture.Client, "/v1/videos/generations", """{"prompt": "a cat walks"}""");
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.StartsWith("video_", g.GetProperty("id").GetString());
        Assert.Equal("queued", g.GetProperty("status").GetString());
        Assert.Equal("svi-2-0-pro", g.GetProperty("model").GetString());
        Assert.Equal("832x480", g.GetProperty("resolution").GetString());
        Assert.Equal(18, g.GetProperty("duration").GetDouble());
        Assert.Equal(4, g.GetProperty("clips_total").GetInt32()); // 288 frames: 81 + 3 × 76 cover them
        Assert.Equal("distilled", g.GetProperty("recipe").GetString());
        Assert.Equal(6, g.GetProperty("steps").GetInt32());
        Assert.Equal(1.0, g.GetProperty("cfg").GetDouble());
        Assert.Equal("quality", g.GetProperty("t2v_quality").GetString());
        // The hosted contract's English negative prompt (HostedContractDefaultsTests checks it verbatim)
        Assert.StartsWith("vibrant tone, overexposed, static", g.GetProperty("negative_prompt").GetString());
        Assert.False(g.GetProperty("input_image").GetBoolean());
        Assert.True(g.GetProperty("seed").GetInt64() >= 0);
        Assert.Equal(JsonValueKind.Null, g.GetProperty("error").ValueKind);
    }

    [Theory]
    [InlineData(6, 6)]
    [InlineData(4, 5.0625)]          // below one clip: rounded up to one clip
    [InlineData(5.0625, 5.0625)]
    [InlineData(121.5, 121.5)]
    public async Task Duration_from_one_clip_to_121_5_seconds_is_accepted(double requested, double effective)
    {
        var (status, g) = await PostJsonAsync(fixture.Client, "/v1/videos/generations",
            JsonSerializer.Serialize(new { prompt = "a cat", duration = requested }));
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(effective, g.GetProperty("duration").GetDouble(), 6);
    }

    [Fact]
    public async Task Every_native_field_is_echoed_back()
    {
        var (status, g) = await PostJsonAsync(fixture.Client, "/v1/videos/generations", """
            {"model": "svi-2-0-pro", "prompts": ["scene one", "scene two"], "resolution": "1280x720", "duration": "30",
             "cfg": 1.5, "negative_prompt": "blur", "t2v_quality": "fast", "seed": 42}
            """);
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("scene one", g.GetProperty("prompt").GetString());
        Assert.Equal(2, g.GetProperty("prompts").GetArrayLength());
        Assert.Equal("1280x720", g.GetProperty("resolution").GetString());
        Assert.Equal(30, g.GetProperty("duration").GetDouble());
        Assert.Equal(1.5, g.GetProperty("cfg").GetDouble());
        Assert.Equal("blur", g.GetProperty("negative_prompt").GetString());
        Assert.Equal("fast", g.GetProperty("t2v_quality").GetString());
        Assert.Equal(42, g.GetProperty("seed").GetInt64());
    }

    [Fact]
    public async Task Reference_recipe_takes_cfg_up_to_10_defaults_to_the_guidance_setting_and_shows_its_50_steps()
    {
        var (status, g) = await PostJsonAsync(fixture.Client, "/v1/videos/generations", """{"prompt": "a cat", "recipe": "reference", "cfg": 4}""");
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(("reference", 50, 4.0), (g.GetProperty("recipe").GetString(), g.GetProperty("steps").GetInt32(), g.GetProperty("cfg").GetDouble()));
        var (_, d) = await PostJsonAsync(fixture.Client, "/v1/videos/generations", """{"prompt": "a cat", "recipe": "reference"}""");
        Assert.Equal(5.0, d.GetProperty("cfg").GetDouble());
        var (_, stored) = await GetAsync(fixture.Client, $"/v1/videos/generations/{g.GetProperty("id").GetString()}");
        Assert.Equal(("reference", 50, 4.0), (stored.GetProperty("recipe").GetString(), stored.GetProperty("steps").GetInt32(), stored.GetProperty("cfg").GetDouble()));
    }

    [Fact]
    public async Task OpenAI_requests_get_the_same_defaults_as_native_ones()
    {
        using var form = new MultipartFormDataContent { { new StringContent("a flag waves"), "prompt" } };
        var (status, v) = await SendAsync(fixture.Client, HttpMethod.Post, "/v1/videos", form);
        Assert.Equal(HttpStatusCode.OK, status);
        var (_, g) = await GetAsync(fixture.Client, $"/v1/videos/generations/{v.GetProperty("id").GetString()}");
        Assert.Equal(("distilled", 6, 1.0), (g.GetProperty("recipe").GetString(), g.GetProperty("steps").GetInt32(), g.GetProperty("cfg").GetDouble()));
        Assert.StartsWith("vibrant tone", g.GetProperty("negative_prompt").GetString());
    }

    [Fact]
    public async Task Multipart_numbers_arrive_as_text_and_are_parsed()
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent("a dog"), "prompt" }, { new StringContent("7.5"), "duration" },
            { new StringContent("1.2"), "cfg" }, { new StringContent("480x832"), "resolution" },
        };
        var (status, g) = await SendAsync(fixture.Client, HttpMethod.Post, "/v1/videos/generations", form);
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(7.5, g.GetProperty("duration").GetDouble());
        Assert.Equal(1.2, g.GetProperty("cfg").GetDouble());
        Assert.Equal("480x832", g.GetProperty("resolution").GetString());
    }

    [Theory]
    [InlineData("seconds", "0", "seconds", "greater than 0")]
    [InlineData("seconds", "200", "seconds", "at most 121.5")]
    [InlineData("seconds", "four", "seconds", "got 'four'")]
    [InlineData("size", "1024x1792", "size", "832x480, 480x832, 720x1280, 1280x720")]
    [InlineData("model", "veo-3", "model", "Served models: svi-2-0-pro")]
    [InlineData("quality", "high", "quality", "Unknown parameter 'quality'")]
    [InlineData("input_reference[file_id]", "file_123", "input_reference", "no files API")]
    public async Task OpenAI_field_out_of_range_is_rejected_with_a_message_naming_it(string field, string value, string param, string part)
    {
        using var form = new MultipartFormDataContent { { new StringContent("a cat"), "prompt" }, { new StringContent(value), field } };
        AssertError(await SendAsync(fixture.Client, HttpMethod.Post, "/v1/videos", form), HttpStatusCode.BadRequest, param, part);
    }

    [Theory]
    [InlineData(null, "5.0625")] // "4", rendered as one clip
    [InlineData("4", "5.0625")]
    [InlineData("6", "6")]
    [InlineData("12", "12")]
    public async Task OpenAI_seconds_are_the_length_rendered_as_a_string(string? seconds, string echoed)
    {
        using var form = new MultipartFormDataContent { { new StringContent("a cat"), "prompt" } };
        if (seconds is not null) form.Add(new StringContent(seconds), "seconds");
        var (status, v) = await SendAsync(fixture.Client, HttpMethod.Post, "/v1/videos", form);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("video", v.GetProperty("object").GetString());
        Assert.Equal(echoed, v.GetProperty("seconds").GetString());
        Assert.Equal("832x480", v.GetProperty("size").GetString());
        Assert.Equal("queued", v.GetProperty("status").GetString());
        Assert.Equal(0, v.GetProperty("progress").GetDouble());
    }

    [Fact]
    public async Task OpenAI_json_body_is_accepted_too()
    {
        var (status, v) = await PostJsonAsync(fixture.Client, "/v1/videos", """{"model": "svi-2-0-pro", "prompt": "a cat", "seconds": "8", "size": "1280x720"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("8", v.GetProperty("seconds").GetString());
        Assert.Equal("1280x720", v.GetProperty("size").GetString());
    }

    [Theory]
    [InlineData("/v1/videos/edits", "video", "not something SVI 2.0 Pro does")]
    [InlineData("/v1/videos/characters", "name", "not supported")]
    public async Task OpenAI_operations_this_model_does_not_do_answer_400(string path, string param, string part) =>
        AssertError(await PostJsonAsync(fixture.Client, path, """{"prompt": "x"}"""), HttpStatusCode.BadRequest, param, part);

    [Fact]
    public async Task Unknown_id_is_404_on_both_surfaces()
    {
        AssertError(await GetAsync(fixture.Client, "/v1/videos/generations/video_0123456789abcdef0123456789abcdef"), HttpStatusCode.NotFound, "id", "No video with id");
        AssertError(await GetAsync(fixture.Client, "/v1/videos/nope"), HttpStatusCode.NotFound, "id", "'nope'");
        AssertError(await SendAsync(fixture.Client, HttpMethod.Delete, "/v1/videos/nope"), HttpStatusCode.NotFound, "id");
    }

    [Fact]
    public async Task Unknown_endpoint_gets_the_error_shape() =>
        AssertError(await GetAsync(fixture.Client, "/v1/nothing/here"), HttpStatusCode.NotFound, null, "Unknown endpoint");

    [Theory]
    [InlineData("?limit=0", "limit", "from 1 to 100")]
    [InlineData("?limit=abc", "limit", "got 'abc'")]
    [InlineData("?order=up", "order", "asc, desc")]
    [InlineData("?after=video_0123456789abcdef0123456789abcdef", "after", "not")]
    public async Task List_arguments_are_validated(string query, string param, string part) =>
        AssertError(await GetAsync(fixture.Client, "/v1/videos" + query), HttpStatusCode.BadRequest, param, part);

    [Fact]
    public async Task Idempotency_key_returns_the_first_job_for_the_same_body()
    {
        var body = """{"prompt": "idempotent cat", "duration": 6}""";
        var first = await SendAsync(fixture.Client, HttpMethod.Post, "/v1/videos/generations", Json(body), idempotencyKey: "key-1");
        var second = await SendAsync(fixture.Client, HttpMethod.Post, "/v1/videos/generations", Json(body), idempotencyKey: "key-1");
        Assert.Equal(first.Body.GetProperty("id").GetString(), second.Body.GetProperty("id").GetString());
        var other = await SendAsync(fixture.Client, HttpMethod.Post, "/v1/videos/generations", Json("""{"prompt": "another"}"""), idempotencyKey: "key-1");
        AssertError(other, HttpStatusCode.Conflict, "Idempotency-Key", "different request body");
    }

    [Fact]
    public async Task Cursor_pagination_walks_every_video_once()
    {
        var ids = new List<string>();
        for (int i = 0; i < 3; i++)
            ids.Add((await PostJsonAsync(fixture.Client, "/v1/videos", $$"""{"prompt": "page {{i}}"}""")).Body.GetProperty("id").GetString()!);
        var seen = new List<string>();
        string? after = null;
        for (int pages = 0; pages < 100; pages++)
        {
            var (status, page) = await GetAsync(fixture.Client, "/v1/videos?limit=2&order=asc" + (after is null ? "" : $"&after={after}"));
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("list", page.GetProperty("object").GetString());
            var data = page.GetProperty("data").EnumerateArray().Select(v => v.GetProperty("id").GetString()!).ToList();
            seen.AddRange(data);
            if (data.Count > 0)
            {
                Assert.Equal(data[0], page.GetProperty("first_id").GetString());
                Assert.Equal(data[^1], page.GetProperty("last_id").GetString());
            }
            if (!page.GetProperty("has_more").GetBoolean()) break;
            after = page.GetProperty("last_id").GetString();
        }
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.All(ids, id => Assert.Contains(id, seen));
        Assert.Equal(ids, seen.Where(ids.Contains).ToList()); // ascending creation order
    }

    [Fact]
    public async Task Models_list_and_parameter_schema_are_machine_readable()
    {
        var (_, list) = await GetAsync(fixture.Client, "/v1/models");
        Assert.Contains(list.GetProperty("data").EnumerateArray(), m => m.GetProperty("id").GetString() == "svi-2-0-pro");
        var (status, model) = await GetAsync(fixture.Client, "/v1/models/svi-2-0-pro");
        Assert.Equal(HttpStatusCode.OK, status);
        var p = model.GetProperty("parameters");
        Assert.Equal(121.5, p.GetProperty("duration").GetProperty("maximum").GetDouble());
        Assert.Equal(18, p.GetProperty("duration").GetProperty("default").GetDouble());
        Assert.Equal(2.0, p.GetProperty("cfg").GetProperty("maximum").GetDouble());
        Assert.Equal(10.0, p.GetProperty("cfg").GetProperty("by_recipe").GetProperty("reference").GetProperty("maximum").GetDouble());
        Assert.Equal("distilled", p.GetProperty("recipe").GetProperty("default").GetString());
        Assert.StartsWith("vibrant tone, overexposed", p.GetProperty("negative_prompt").GetProperty("default").GetString());
        var recipes = model.GetProperty("recipes");
        var distilled = recipes.GetProperty("distilled");
        Assert.Equal((6, 1.0, 2.0), (distilled.GetProperty("steps").GetInt32(), distilled.GetProperty("cfg").GetProperty("minimum").GetDouble(),
            distilled.GetProperty("cfg").GetProperty("maximum").GetDouble()));
        Assert.Equal(50, recipes.GetProperty("reference").GetProperty("steps").GetInt32());
        var low720 = distilled.GetProperty("loras").GetProperty("1280x720").GetProperty("low_noise_expert").EnumerateArray()
            .Select(f => f.GetProperty("file").GetString()).ToList();
        // No 720p distill: the 480p LOW serves every resolution, as Kijai's public Pro workflow uses it.
        Assert.Contains("lightx2v_I2V_14B_480p_cfg_step_distill_rank64_bf16.safetensors", low720);
        Assert.DoesNotContain(low720, f => f!.Contains("720p", StringComparison.Ordinal));
        Assert.Contains("lightx2v_I2V_14B_480p_cfg_step_distill_rank64_bf16.safetensors", distilled.GetProperty("loras").GetProperty("832x480")
            .GetProperty("low_noise_expert").EnumerateArray().Select(f => f.GetProperty("file").GetString()));
        var time = distilled.GetProperty("expected_time");
        Assert.Contains("estimate", time.GetProperty("label").GetString());
        double sd = time.GetProperty("per_clip_seconds").GetProperty("832x480").GetProperty("at_default_cfg").GetDouble();
        double hd = time.GetProperty("per_clip_seconds").GetProperty("1280x720").GetProperty("at_default_cfg").GetDouble();
        double reference = recipes.GetProperty("reference").GetProperty("expected_time").GetProperty("per_clip_seconds")
            .GetProperty("832x480").GetProperty("at_default_cfg").GetDouble();
        Assert.True(sd > 0 && hd > 3 * sd && reference > 8 * sd, $"480p {sd} s, 720p {hd} s, reference 480p {reference} s");
        Assert.Contains("heic", p.GetProperty("image").GetProperty("formats").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("1280x720", p.GetProperty("resolution").GetProperty("allowed").EnumerateArray().Select(e => e.GetString()));
        Assert.True(model.GetProperty("availability").GetProperty("image_to_video").GetBoolean());
        AssertError(await GetAsync(fixture.Client, "/v1/models/gpt-4"), HttpStatusCode.NotFound, "model", "svi-2-0-pro");
    }

    [Fact]
    public async Task Health_readiness_metrics_and_openapi_are_served()
    {
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(fixture.Client, "/healthz")).Status);
        var (status, ready) = await GetAsync(fixture.Client, "/readyz");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ok", ready.GetProperty("database").GetString());
        Assert.True(ready.GetProperty("modes").GetProperty("image_to_video").GetBoolean());
        await PostJsonAsync(fixture.Client, "/v1/videos/generations", """{"prompt": "counted"}""");
        var metrics = await fixture.Client.GetStringAsync("/metrics");
        Assert.Contains("svi_generations_submitted_total", metrics);
        var openapi = await GetAsync(fixture.Client, "/openapi/v1.json");
        Assert.True(openapi.Body.GetProperty("paths").TryGetProperty("/v1/videos/generations", out _));
        Assert.True(openapi.Body.GetProperty("paths").TryGetProperty("/v1/videos", out _));
        // every response body is a named schema a client generator can turn into a type
        var schemas = openapi.Body.GetProperty("components").GetProperty("schemas").EnumerateObject().Select(p => p.Name).ToList();
        Assert.DoesNotContain(schemas, name => name.StartsWith("AnonymousType", StringComparison.Ordinal));
        Assert.Contains("Readiness", schemas);
        Assert.Contains("ModelDetail", schemas);
    }

    [Fact]
    public async Task A14b_deployment_lists_all_four_sizes_in_the_model_schema_and_openapi()
    {
        string[] all = ["832x480", "480x832", "720x1280", "1280x720"];
        var (_, model) = await GetAsync(fixture.Client, "/v1/models/svi-2-0-pro");
        Assert.Equal(all, model.GetProperty("parameters").GetProperty("resolution").GetProperty("allowed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(all, model.GetProperty("openai_parameters").GetProperty("size").GetProperty("allowed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(all, await TinyDeploymentSizeTests.DocumentedSizesAsync(fixture.Client));
    }

    [Fact]
    public async Task Openapi_request_bodies_list_exactly_the_fields_each_parser_accepts_as_json_and_multipart()
    {
        var (_, openapi) = await GetAsync(fixture.Client, "/openapi/v1.json");
        // multipart spellings of nested fields (input_reference[image_url], video[id]) are the same documented field
        static string[] Flat(IEnumerable<string> fields) => [.. fields.Where(f => !f.Contains('[')).Order()];
        (string Path, string[] Fields)[] bodies =
        [
            ("/v1/videos/generations", Flat(Svi.Server.Contracts.GenerationRequest.NativeFields)),
            ("/v1/videos/generations/{id}/extend", Flat(Svi.Server.Contracts.ExtensionRequest.NativeFields)),
            ("/v1/videos", Flat(Svi.Server.Contracts.OpenAiVideoRequest.Fields)),
            ("/v1/videos/extensions", Flat(Svi.Server.Contracts.ExtensionRequest.OpenAiFields)),
            ("/v1/videos/{id}/remix", ["prompt"]),
        ];
        foreach (var (path, fields) in bodies)
        {
            var content = openapi.GetProperty("paths").GetProperty(path).GetProperty("post").GetProperty("requestBody").GetProperty("content");
            foreach (var mediaType in new[] { "application/json", "multipart/form-data" })
            {
                var schema = content.GetProperty(mediaType).GetProperty("schema");
                if (schema.TryGetProperty("$ref", out var reference))
                    schema = openapi.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
                var documented = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).Order().ToArray();
                Assert.True(fields.SequenceEqual(documented),
                    $"{path} ({mediaType}) documents [{string.Join(", ", documented)}] but accepts [{string.Join(", ", fields)}]");
            }
        }
    }
}

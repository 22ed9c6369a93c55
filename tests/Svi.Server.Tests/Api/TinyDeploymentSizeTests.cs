using Microsoft.Extensions.Options;
using Npgsql;
using Svi.Server.Contracts;

namespace Svi.Server.Tests.Api;

/// <summary>An API-only server with random weights, so the architecture is tiny (<c>auto</c>); nothing is rendered.</summary>
public sealed class TinyDeploymentFixture : ApiOnlyFixture
{
    public static readonly string[] Config = ["--Svi:Inference:Weights=random"];
    protected override string[] ExtraConfig => Config;
}

/// <summary>
/// A tiny random-weight deployment renders only the sizes its 4×4 patches tile (832x480, 480x832): 720p is refused at
/// submission on both surfaces with a 400 that says why, and the model schema and OpenAPI document list only the two.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class TinyDeploymentSizeTests(TinyDeploymentFixture fixture) : IClassFixture<TinyDeploymentFixture>
{
    static readonly string[] TinySizes = ["832x480", "480x832"];

    [Theory]
    [InlineData("1280x720")]
    [InlineData("720x1280")]
    public async Task Native_720p_is_refused_at_submission_naming_the_architecture_and_the_sizes_it_renders(string size)
    {
        var response = await PostJsonAsync(fixture.Client, "/v1/videos/generations", JsonSerializer.Serialize(new { prompt = "a cat", resolution = size }));
        var error = AssertError(response, HttpStatusCode.BadRequest, "resolution",
            $"'resolution' {size} cannot be rendered by this deployment's tiny random-weight architecture",
            "its 4×4 patches need width and height multiples of 32", "use 832x480 or 480x832");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task OpenAI_720p_is_refused_at_submission_with_the_same_reason()
    {
        using var form = new MultipartFormDataContent { { new StringContent("a cat"), "prompt" }, { new StringContent("1280x720"), "size" } };
        AssertError(await SendAsync(fixture.Client, HttpMethod.Post, "/v1/videos", form), HttpStatusCode.BadRequest, "size",
            "'size' 1280x720 cannot be rendered by this deployment's tiny random-weight architecture", "use 832x480 or 480x832");
    }

    [Fact]
    public async Task An_unknown_size_is_answered_with_only_the_sizes_this_deployment_renders()
    {
        var response = await PostJsonAsync(fixture.Client, "/v1/videos/generations", """{"prompt": "a cat", "resolution": "1024x1024"}""");
        var message = AssertError(response, HttpStatusCode.BadRequest, "resolution", "must be one of 832x480, 480x832;", "got '1024x1024'")
            .GetProperty("message").GetString();
        Assert.DoesNotContain("1280x720", message);
    }

    [Theory]
    [InlineData("/v1/videos/generations", """{"prompt": "a cat", "resolution": "480x832"}""", HttpStatusCode.Accepted)]
    [InlineData("/v1/videos", """{"prompt": "a cat", "size": "832x480"}""", HttpStatusCode.OK)]
    [InlineData("/v1/videos/generations", """{"prompt": "a cat", "resolution": null}""", HttpStatusCode.Accepted)]
    [InlineData("/v1/videos", """{"prompt": "a cat", "size": null}""", HttpStatusCode.OK)]
    public async Task The_480p_sizes_and_an_explicit_null_are_accepted(string path, string body, HttpStatusCode accepted) =>
        Assert.Equal(accepted, (await PostJsonAsync(fixture.Client, path, body)).Status);

    [Fact]
    public async Task Model_schema_lists_only_the_tiny_sizes()
    {
        var (status, model) = await GetAsync(fixture.Client, "/v1/models/svi-2-0-pro");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(TinySizes, Strings(model.GetProperty("parameters").GetProperty("resolution").GetProperty("allowed")));
        Assert.Equal("832x480", model.GetProperty("parameters").GetProperty("resolution").GetProperty("default").GetString());
        Assert.Equal(TinySizes, Strings(model.GetProperty("openai_parameters").GetProperty("size").GetProperty("allowed")));
        foreach (var recipe in model.GetProperty("recipes").EnumerateObject())
        {
            Assert.Equal(TinySizes, recipe.Value.GetProperty("loras").EnumerateObject().Select(p => p.Name));
            Assert.Equal(TinySizes, recipe.Value.GetProperty("expected_time").GetProperty("per_clip_seconds").EnumerateObject().Select(p => p.Name));
        }
    }

    [Fact]
    public async Task OpenAPI_document_lists_only_the_tiny_sizes() =>
        Assert.Equal(TinySizes, await DocumentedSizesAsync(fixture.Client));

    [Fact]
    public async Task A_default_resolution_the_architecture_cannot_render_stops_the_server_at_start()
    {
        string data = SviTestServer.NewDataDirectory();
        var app = SviHost.BuildApi(["--urls", "http://127.0.0.1:0",
                .. SviTestServer.ConfigArgs(fixture.Database, data, [.. TinyDeploymentFixture.Config, "--Svi:DefaultResolution=1280x720"])],
            withWorker: false, services => services.AddSingleton<IModelInventory>(new FixedModelInventory()));
        await using (app)
        {
            var e = await Assert.ThrowsAsync<OptionsValidationException>(() => SviHost.StartAsync(app));
            Assert.Contains("Svi:DefaultResolution 1280x720 cannot be rendered by this deployment's tiny random-weight architecture " +
                            "(its 4×4 patches need width and height multiples of 32); use 832x480 or 480x832.", e.Failures);
        }
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public async Task A_720p_video_made_before_the_switch_to_tiny_is_refused_for_extension_and_remix_and_nothing_is_written()
    {
        string source = await InsertCompletedSourceAsync(1280, 720);
        const string refusal = "1280x720 cannot be rendered by this deployment's tiny random-weight architecture " +
                               "(its 4×4 patches need width and height multiples of 32); this deployment renders only 832x480 or 480x832.";
        var files = fixture.Server.App.Services.GetRequiredService<GenerationFiles>();
        string[] foldersBefore = Directory.Exists(files.Root) ? Directory.GetDirectories(files.Root) : [];

        var native = AssertError(await PostJsonAsync(fixture.Client, $"/v1/videos/generations/{source}/extend", """{"prompt": "more", "duration": 2}"""),
            HttpStatusCode.BadRequest, "id", $"The video '{source}' cannot be extended: {refusal}");
        Assert.Equal("video_size_not_renderable", native.GetProperty("code").GetString());
        AssertError(await PostJsonAsync(fixture.Client, "/v1/videos/extensions", $$$"""{"prompt": "more", "seconds": "4", "video": {"id": "{{{source}}}"}}"""),
            HttpStatusCode.BadRequest, "video", $"The video '{source}' cannot be extended: {refusal}");
        AssertError(await PostJsonAsync(fixture.Client, $"/v1/videos/{source}/remix", """{"prompt": "a dog"}"""),
            HttpStatusCode.BadRequest, "video_id", $"The video '{source}' cannot be remixed: {refusal}");

        await using var db = NpgsqlDataSource.Create(fixture.Database.ConnectionString);
        await using var count = db.CreateCommand("SELECT count(*) FROM generations WHERE extended_from = $1 OR remixed_from = $1");
        count.Parameters.AddWithValue(source);
        Assert.Equal(0L, await count.ExecuteScalarAsync());
        Assert.Equal(foldersBefore, Directory.Exists(files.Root) ? Directory.GetDirectories(files.Root) : []);
    }

    [Fact]
    public async Task A_480p_video_can_still_be_remixed()
    {
        string source = await InsertCompletedSourceAsync(480, 832);
        var (status, video) = await PostJsonAsync(fixture.Client, $"/v1/videos/{source}/remix", """{"prompt": "a dog"}""");
        Assert.True(status == HttpStatusCode.OK, video.ToString());
        Assert.Equal("480x832", video.GetProperty("size").GetString());
    }

    /// <summary>A completed text-to-video row, as if rendered earlier (at 720p: when the deployment still ran A14B).</summary>
    async Task<string> InsertCompletedSourceAsync(int width, int height)
    {
        var record = new GenerationRecord
        {
            Id = GenerationIds.New(),
            Owner = "",
            Surface = "native",
            Status = GenerationStatus.Completed,
            Spec = TestSpecs.Tiny(5.0625, width, height, image: false) with
            {
                Model = ModelCatalog.SviProId,
                Prompts = ["a cat"],
                NegativePrompt = "",
                Recipe = SviRecipe.Distilled,
                Steps = 4,
                Cfg = 1,
                Seed = 7,
            },
            SecondsText = "5.0625",
            ClipsTotal = 1,
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()),
        };
        await fixture.Server.App.Services.GetRequiredService<GenerationStore>().InsertAsync(record, CancellationToken.None);
        return record.Id;
    }

    static IEnumerable<string?> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString());

    /// <summary>
    /// The sizes in the enum of the native <c>resolution</c> and the OpenAI <c>size</c> field, which must agree in every
    /// body; the enum also holds the null the field's type allows.
    /// </summary>
    internal static async Task<string?[]> DocumentedSizesAsync(HttpClient client)
    {
        var (_, openapi) = await GetAsync(client, "/openapi/v1.json");
        var documented = new List<string?[]>();
        foreach (var (path, field) in new[] { ("/v1/videos/generations", "resolution"), ("/v1/videos", "size") })
            foreach (var body in openapi.GetProperty("paths").GetProperty(path).GetProperty("post").GetProperty("requestBody")
                         .GetProperty("content").EnumerateObject())
            {
                var schema = body.Value.GetProperty("schema");
                if (schema.TryGetProperty("$ref", out var reference))
                    schema = openapi.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
                var property = schema.GetProperty("properties").GetProperty(field);
                // nullable (an explicit null is the default size), so a strict validator must find null in the enum too
                Assert.Equal(["null", "string"], Strings(property.GetProperty("type")));
                var values = property.GetProperty("enum").EnumerateArray().ToList();
                Assert.Single(values, v => v.ValueKind == JsonValueKind.Null);
                documented.Add([.. values.Where(v => v.ValueKind != JsonValueKind.Null).Select(v => v.GetString())]);
            }
        Assert.Equal(4, documented.Count);
        Assert.All(documented, sizes => Assert.Equal(documented[0], sizes));
        return documented[0];
    }
}

using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Svi.Inference.Runtime;
using Svi.Server.Hosting;
using Svi.Server.Tests.Support;
using static Svi.Server.Tests.Support.Http;

namespace Svi.Server.Tests.Api;

/// <summary>An API-only server with random weights, so the architecture is tiny (<c>auto</c>); nothing is rendered.</summary>
public sealed class TinyDeploymentFixture : ServerFixture
{
    public static readonly string[] Config = ["--Svi:Inference:Weights=random"];
    protected override bool WithWorker => false;
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
    HttpClient Client => fixture.Server.Client;

    [Theory]
    [InlineData("1280x720")]
    [InlineData("720x1280")]
    public async Task Native_720p_is_refused_at_submission_naming_the_architecture_and_the_sizes_it_renders(string size)
    {
        var response = await PostJsonAsync(Client, "/v1/videos/generations", JsonSerializer.Serialize(new { prompt = "a cat", resolution = size }));
        var error = AssertError(response, HttpStatusCode.BadRequest, "resolution",
            $"'resolution' {size} cannot be rendered by this deployment's tiny random-weight architecture",
            "its 4×4 patches need width and height multiples of 32", "use 832x480 or 480x832");
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
    }

    [Fact]
    public async Task OpenAI_720p_is_refused_at_submission_with_the_same_reason()
    {
        using var form = new MultipartFormDataContent { { new StringContent("a cat"), "prompt" }, { new StringContent("1280x720"), "size" } };
        AssertError(await SendAsync(Client, HttpMethod.Post, "/v1/videos", form), HttpStatusCode.BadRequest, "size",
            "'size' 1280x720 cannot be rendered by this deployment's tiny random-weight architecture", "use 832x480 or 480x832");
    }

    [Fact]
    public async Task An_unknown_size_is_answered_with_only_the_sizes_this_deployment_renders()
    {
        var response = await PostJsonAsync(Client, "/v1/videos/generations", """{"prompt": "a cat", "resolution": "1024x1024"}""");
        var message = AssertError(response, HttpStatusCode.BadRequest, "resolution", "must be one of 832x480, 480x832;", "got '1024x1024'")
            .GetProperty("message").GetString();
        Assert.DoesNotContain("1280x720", message);
    }

    [Theory]
    [InlineData("/v1/videos/generations", """{"prompt": "a cat", "resolution": "480x832"}""", HttpStatusCode.Accepted)]
    [InlineData("/v1/videos", """{"prompt": "a cat", "size": "832x480"}""", HttpStatusCode.OK)]
    public async Task The_480p_sizes_are_accepted(string path, string body, HttpStatusCode accepted) =>
        Assert.Equal(accepted, (await PostJsonAsync(Client, path, body)).Status);

    [Fact]
    public async Task Model_schema_lists_only_the_tiny_sizes()
    {
        var (status, model) = await GetAsync(Client, "/v1/models/svi-2-0-pro");
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
        Assert.Equal(TinySizes, await DocumentedSizesAsync(Client));

    [Fact]
    public async Task A_default_resolution_the_architecture_cannot_render_stops_the_server_at_start()
    {
        string data = SviTestServer.NewDataDirectory();
        var app = SviHost.BuildApi(["--urls", "http://127.0.0.1:0",
                .. SviTestServer.ConfigArgs(fixture.Database, data, [.. TinyDeploymentFixture.Config, "--Svi:DefaultResolution=1280x720"])],
            withWorker: false, services => services.AddSingleton<IModelInventory>(new TestModelInventory()));
        await using (app)
        {
            var e = await Assert.ThrowsAsync<OptionsValidationException>(() => SviHost.StartAsync(app));
            Assert.Contains("Svi:DefaultResolution 1280x720 cannot be rendered by this deployment's tiny random-weight architecture " +
                            "(its 4×4 patches need width and height multiples of 32); use 832x480 or 480x832.", e.Failures);
        }
        Directory.Delete(data, recursive: true);
    }

    static IEnumerable<string?> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString());

    /// <summary>The enum of the native <c>resolution</c> and the OpenAI <c>size</c> field, which must agree in every body.</summary>
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
                documented.Add([.. Strings(schema.GetProperty("properties").GetProperty(field).GetProperty("enum"))]);
            }
        Assert.Equal(4, documented.Count);
        Assert.All(documented, sizes => Assert.Equal(documented[0], sizes));
        return documented[0];
    }
}

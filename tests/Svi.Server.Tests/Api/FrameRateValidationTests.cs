namespace Svi.Server.Tests.Api;

/// <summary>The <c>fps</c> field's answers on a deployment whose default is 32 and that lacks the RIFE file.</summary>
[Collection(ServerCollection.Name)]
public sealed class FrameRateValidationTests : FreshDatabaseTests
{
    SviTestServer server = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        server = await SviTestServer.StartAsync(Database, DataDirectory, withWorker: false,
            inventory: new FixedModelInventory(ModelRole.Interpolation), extraConfig: ["--Svi:Output:Fps=32"]);
    }

    public override async Task DisposeAsync()
    {
        await server.DisposeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task Fps_other_than_16_or_32_is_refused_naming_both()
    {
        var error = AssertError(await PostJsonAsync(server.Client, "/v1/videos/generations", """{"prompt": "a boat", "fps": 24}"""),
            HttpStatusCode.BadRequest, "fps", "16", "32", "got 24");
        Assert.Equal("invalid_value", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Fps_32_without_the_rife_file_answers_400_with_the_pull_command_on_both_surfaces()
    {
        foreach (var (path, body) in new[]
                 {
                     ("/v1/videos/generations", """{"prompt": "a boat", "fps": 32}"""),
                     ("/v1/videos/generations", """{"prompt": "a boat"}"""),   // Svi:Output:Fps=32 is the default
                     ("/v1/videos", """{"prompt": "a boat", "seconds": "4"}"""),   // OpenAI: the deployment default
                 })
        {
            var error = AssertError(await PostJsonAsync(server.Client, path, body), HttpStatusCode.BadRequest, "fps",
                "./svi models pull --interpolation");
            Assert.Equal("interpolation_model_missing", error.GetProperty("code").GetString());
        }
        var (status, accepted) = await PostJsonAsync(server.Client, "/v1/videos/generations", """{"prompt": "a boat", "fps": 16}""");
        Assert.True(status == HttpStatusCode.Accepted, accepted.ToString());
        Assert.Equal(16, accepted.GetProperty("fps").GetInt32());
    }

    [Fact]
    public async Task The_model_schema_describes_fps_with_the_deployment_default()
    {
        var (status, model) = await GetAsync(server.Client, "/v1/models/svi-2-0-pro");
        Assert.Equal(HttpStatusCode.OK, status);
        var fps = model.GetProperty("parameters").GetProperty("fps");
        Assert.Equal(32, fps.GetProperty("default").GetInt32());
        Assert.Equal([16, 32], fps.GetProperty("allowed").EnumerateArray().Select(e => e.GetInt32()));
        Assert.False(fps.GetProperty("interpolation_available").GetBoolean());
        Assert.Contains("./svi models pull --interpolation", fps.GetProperty("interpolation_unavailable_reason").GetString());
    }

    [Fact]
    public async Task Readyz_says_whether_32_fps_can_be_rendered_and_why_not()
    {
        var (status, ready) = await GetAsync(server.Client, "/readyz");
        Assert.Equal(HttpStatusCode.OK, status);
        var fps32 = ready.GetProperty("fps32");
        Assert.False(fps32.GetProperty("available").GetBoolean());
        Assert.Contains("RIFE", fps32.GetProperty("problem").GetString());
        Assert.Equal("interpolation_model_missing", fps32.GetProperty("code").GetString());
    }
}

namespace Svi.Server.Tests.Playground;

public sealed class PlaygroundServerFixture : ApiOnlyFixture
{
    public const string Key = "sk-playground-endpoint-key";
    protected override string[] ExtraConfig => [$"--Svi:ApiKeys:0={Key}"];
}

public sealed class PlaygroundOffFixture : ApiOnlyFixture
{
    protected override string[] ExtraConfig => ["--Svi:Playground:Enabled=false"];
}

[Collection(ServerCollection.Name)]
public sealed class PlaygroundEndpointTests(PlaygroundServerFixture fixture) : IClassFixture<PlaygroundServerFixture>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/playground")]
    public async Task Page_is_served_without_a_key_and_embeds_none(string path)
    {
        using var response = await fixture.Server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<title>SVI Playground</title>", html);

        // Every script and stylesheet the page loads, and the modules they import, are served, and none holds the key.
        var pending = new Queue<string>(Regex.Matches(html, "(?:src|href)=\"(/playground/[^\"]+)\"").Select(m => m.Groups[1].Value));
        var seen = new HashSet<string>();
        Assert.NotEmpty(pending);
        while (pending.TryDequeue(out var asset))
        {
            if (!seen.Add(asset)) continue;
            using var file = await fixture.Server.Client.GetAsync(asset);
            Assert.True(file.StatusCode == HttpStatusCode.OK, $"{asset}: {(int)file.StatusCode}");
            Assert.Equal(asset.EndsWith(".js") ? "text/javascript" : "text/css", file.Content.Headers.ContentType?.MediaType);
            var text = await file.Content.ReadAsStringAsync();
            Assert.DoesNotContain(PlaygroundServerFixture.Key, text);
            foreach (Match import in Regex.Matches(text, "from \"\\./([^\"]+)\""))
                pending.Enqueue("/playground/" + import.Groups[1].Value);
        }
        Assert.Contains("/playground/generations.js", seen);
    }

    [Fact]
    public async Task Unknown_playground_files_are_not_found()
    {
        using var response = await fixture.Server.Client.GetAsync("/playground/secrets.json");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_API_behind_the_page_still_needs_the_key()
    {
        var response = await Http.GetAsync(fixture.Server.Client, "/v1/models/svi-2-0-pro");
        Http.AssertError(response, HttpStatusCode.Unauthorized, null, "Missing API key");
    }
}

[Collection(ServerCollection.Name)]
public sealed class PlaygroundDisabledTests(PlaygroundOffFixture fixture) : IClassFixture<PlaygroundOffFixture>
{
    [Theory]
    [InlineData("/")]
    [InlineData("/playground")]
    [InlineData("/playground/playground.js")]
    public async Task Playground_enabled_false_serves_no_page(string path)
    {
        using var response = await fixture.Server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

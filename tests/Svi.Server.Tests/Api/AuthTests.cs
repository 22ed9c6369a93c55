namespace Svi.Server.Tests.Api;

public sealed class TwoKeysFixture : ApiOnlyFixture
{
    public const string KeyA = "sk-test-alice-0001", KeyB = "sk-test-bob-000002";
    protected override string[] ExtraConfig => [$"--Svi:ApiKeys:0={KeyA}", $"--Svi:ApiKeys:1={KeyB}"];
}

[Collection(ServerCollection.Name)]
public sealed class AuthTests(TwoKeysFixture fixture) : IClassFixture<TwoKeysFixture>
{

    [Fact]
    public async Task Missing_key_is_401_in_the_error_shape()
    {
        var error = AssertError(await GetAsync(fixture.Client, "/v1/videos"), HttpStatusCode.Unauthorized, null, "Authorization: Bearer");
        Assert.Equal("missing_api_key", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Wrong_key_is_401()
    {
        var error = AssertError(await GetAsync(fixture.Client, "/v1/videos", "sk-wrong-key-123"), HttpStatusCode.Unauthorized, null, "Incorrect API key");
        Assert.Equal("invalid_api_key", error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Health_needs_no_key() => Assert.Equal(HttpStatusCode.OK, (await GetAsync(fixture.Client, "/healthz")).Status);

    [Fact]
    public async Task A_generation_is_visible_only_to_the_key_that_created_it()
    {
        var (status, created) = await PostJsonAsync(fixture.Client, "/v1/videos/generations", """{"prompt": "alice's cat"}""", TwoKeysFixture.KeyA);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = created.GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(fixture.Client, $"/v1/videos/generations/{id}", TwoKeysFixture.KeyA)).Status);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(fixture.Client, $"/v1/videos/{id}", TwoKeysFixture.KeyA)).Status);
        AssertError(await GetAsync(fixture.Client, $"/v1/videos/generations/{id}", TwoKeysFixture.KeyB), HttpStatusCode.NotFound, "id");
        AssertError(await GetAsync(fixture.Client, $"/v1/videos/{id}/content", TwoKeysFixture.KeyB), HttpStatusCode.NotFound, "id");
        AssertError(await SendAsync(fixture.Client, HttpMethod.Post, $"/v1/videos/generations/{id}/cancel", apiKey: TwoKeysFixture.KeyB), HttpStatusCode.NotFound, "id");
        AssertError(await SendAsync(fixture.Client, HttpMethod.Delete, $"/v1/videos/{id}", apiKey: TwoKeysFixture.KeyB), HttpStatusCode.NotFound, "id");

        var (_, bobs) = await GetAsync(fixture.Client, "/v1/videos?limit=100", TwoKeysFixture.KeyB);
        Assert.DoesNotContain(bobs.GetProperty("data").EnumerateArray(), v => v.GetProperty("id").GetString() == id);
        var (_, alices) = await GetAsync(fixture.Client, "/v1/videos?limit=100", TwoKeysFixture.KeyA);
        Assert.Contains(alices.GetProperty("data").EnumerateArray(), v => v.GetProperty("id").GetString() == id);
        // Bob's failed attempts changed nothing.
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(fixture.Client, $"/v1/videos/{id}", TwoKeysFixture.KeyA)).Status);
    }
}

namespace Svi.Server.Tests.Api;

public sealed class ConfiguredAliasesFixture : ApiOnlyFixture
{
    // one default alias switched off with an empty value, one added
    protected override string[] ExtraConfig => ["--Svi:ModelAliases:sora-2=", "--Svi:ModelAliases:veo-3=svi-2-0-pro"];
}

/// <summary>The alias map is configuration: defaults can be removed and others added.</summary>
[Collection(ServerCollection.Name)]
public sealed class ModelAliasTests(ConfiguredAliasesFixture fixture) : IClassFixture<ConfiguredAliasesFixture>
{
    [Fact]
    public async Task An_alias_set_empty_is_removed_and_an_added_alias_is_listed_and_served()
    {
        var client = fixture.Server.Client;
        var (_, models) = await GetAsync(client, "/v1/models");
        var ids = models.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()!).ToArray();
        Assert.Equal(new[] { "svi-2-0-pro", "sora-2-pro", "veo-3" }, ids);
        var (status, video) = await PostJsonAsync(client, "/v1/videos", """{"prompt": "x", "model": "veo-3"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("svi-2-0-pro", video.GetProperty("model").GetString());
        AssertError(await PostJsonAsync(client, "/v1/videos", """{"prompt": "x", "model": "sora-2"}"""),
            HttpStatusCode.BadRequest, "model", "'sora-2' is not served here", "veo-3");
    }
}

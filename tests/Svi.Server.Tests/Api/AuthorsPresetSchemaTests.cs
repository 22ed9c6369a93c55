namespace Svi.Server.Tests.Api;

public sealed class AuthorsPresetFixture : ServerFixture
{
    protected override bool WithWorker => false;
    protected override string[] ExtraConfig => ["--Svi:Inference:Distilled:Preset=authors"];
}

/// <summary>A deployment configured with the SVI authors' preset shows their workflow's numbers and sampler in the schema.</summary>
[Collection(ServerCollection.Name)]
public sealed class AuthorsPresetSchemaTests(AuthorsPresetFixture fixture) : IClassFixture<AuthorsPresetFixture>
{
    [Fact]
    public async Task The_schema_shows_the_authors_preset_sampling_with_their_dpmpp_sde_and_no_stand_in_note()
    {
        var (_, model) = await GetAsync(fixture.Server.Client, "/v1/models/svi-2-0-pro");
        var distilled = model.GetProperty("recipes").GetProperty("distilled");

        Assert.Equal(("authors", 6, 8.0, 1.5), (distilled.GetProperty("preset").GetString(), distilled.GetProperty("steps").GetInt32(),
            distilled.GetProperty("shift").GetDouble(), distilled.GetProperty("cfg").GetProperty("default").GetDouble()));
        Assert.Equal(("dpm++_sde", "dpm++_sde"), (distilled.GetProperty("sampler").GetString(), distilled.GetProperty("workflow_sampler").GetString()));
        Assert.Equal(JsonValueKind.Null, distilled.GetProperty("sampler_note").ValueKind);
    }
}

using System.Text.Json.Nodes;

namespace Svi.Server.Tests.Api;

public sealed class ConfiguredLoraStrengthsFixture : ServerFixture
{
    protected override bool WithWorker => false;
    protected override string[] ExtraConfig =>
        ["--Svi:Inference:LoraHighStrength=0.7", "--Svi:Inference:Distilled:DistillHighStrength=0.5"];
}

/// <summary>
/// <c>lora_strengths</c>: resolved at submit like cfg (the deployment's configured strengths for every LoRA the recipe
/// loads, the request's in their place), stored in the spec, returned, and part of the idempotency hash.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class LoraStrengthsTests(ConfiguredLoraStrengthsFixture fixture) : IClassFixture<ConfiguredLoraStrengthsFixture>
{
    async Task<(JsonObject Stored, JsonObject? Returned)> CreateAsync(string path, HttpContent body, string? idempotencyKey = null)
    {
        var (status, created) = await SendAsync(fixture.Server.Client, HttpMethod.Post, path, body, idempotencyKey: idempotencyKey);
        Assert.True(status == HttpStatusCode.Accepted || status == HttpStatusCode.OK, $"{(int)status}: {created}");
        string id = created.GetProperty("id").GetString()!;
        var stored = JsonNode.Parse((await fixture.Database.ScalarAsync<string>($"SELECT spec::text FROM generations WHERE id = '{id}'"))!)!;
        return (stored["lora_strengths"]!.AsObject(), JsonNode.Parse(created.GetRawText())!["lora_strengths"]?.AsObject());
    }

    static JsonObject Strengths(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public async Task A_request_without_lora_strengths_gets_the_deployments_configured_strengths_for_the_loras_its_recipe_loads()
    {
        var (distilled, returned) = await CreateAsync("/v1/videos/generations", Json("""{"prompt": "a heron"}"""));
        var expected = Strengths("""{"lora_high": 0.7, "lora_low": 1.0, "distill_lora_high": 0.5, "distill_lora_low": 1.0}""");
        Assert.True(JsonNode.DeepEquals(expected, distilled), distilled.ToJsonString());
        Assert.True(JsonNode.DeepEquals(expected, returned), returned?.ToJsonString());

        var (reference, _) = await CreateAsync("/v1/videos/generations", Json("""{"prompt": "a heron", "recipe": "reference"}"""));
        Assert.True(JsonNode.DeepEquals(Strengths("""{"lora_high": 0.7, "lora_low": 1.0}"""), reference), reference.ToJsonString());

        var (openAi, _) = await CreateAsync("/v1/videos", Json("""{"prompt": "a heron"}"""));
        Assert.True(JsonNode.DeepEquals(expected, openAi), openAi.ToJsonString());
    }

    [Fact]
    public async Task The_strengths_a_request_names_replace_only_those_and_are_stored_and_returned_from_json_or_a_form()
    {
        var expected = Strengths("""{"lora_high": 0.8, "lora_low": 1.0, "distill_lora_high": 3.0, "distill_lora_low": 1.0}""");
        var (stored, returned) = await CreateAsync("/v1/videos/generations",
            Json("""{"prompt": "a heron", "lora_strengths": {"lora_high": 0.8, "distill_lora_high": 3}}"""));
        Assert.True(JsonNode.DeepEquals(expected, stored), stored.ToJsonString());
        Assert.True(JsonNode.DeepEquals(expected, returned), returned?.ToJsonString());

        var form = new MultipartFormDataContent
        {
            { new StringContent("a heron"), "prompt" },
            { new StringContent("""{"lora_high": "0.8", "distill_lora_high": 3}"""), "lora_strengths" },
        };
        (stored, _) = await CreateAsync("/v1/videos/generations", form);
        Assert.True(JsonNode.DeepEquals(expected, stored), stored.ToJsonString());

        // A multipart encoder's spelling of the nested object: one field per key.
        var perKey = new MultipartFormDataContent
        {
            { new StringContent("a heron"), "prompt" },
            { new StringContent("0.8"), "lora_strengths[lora_high]" },
            { new StringContent("3"), "lora_strengths[distill_lora_high]" },
        };
        (stored, _) = await CreateAsync("/v1/videos/generations", perKey);
        Assert.True(JsonNode.DeepEquals(expected, stored), stored.ToJsonString());

        // The same spelling in a JSON body reads alike (it once passed the field check and then found no form value).
        (stored, _) = await CreateAsync("/v1/videos/generations",
            Json("""{"prompt": "a heron", "lora_strengths[lora_high]": 0.8, "lora_strengths[distill_lora_high]": "3"}"""));
        Assert.True(JsonNode.DeepEquals(expected, stored), stored.ToJsonString());
    }

    [Fact]
    public async Task A_form_that_spells_the_strengths_both_ways_or_names_an_unknown_key_is_refused()
    {
        var both = new MultipartFormDataContent
        {
            { new StringContent("a heron"), "prompt" },
            { new StringContent("""{"lora_low": 1.2}"""), "lora_strengths" },
            { new StringContent("0.8"), "lora_strengths[lora_high]" },
        };
        AssertError(await SendAsync(fixture.Server.Client, HttpMethod.Post, "/v1/videos/generations", both),
            HttpStatusCode.BadRequest, "lora_strengths", "'lora_strengths[lora_high]'; use one form");

        var unknown = new MultipartFormDataContent
        {
            { new StringContent("a heron"), "prompt" },
            { new StringContent("0.8"), "lora_strengths[lora_middle]" },
        };
        AssertError(await SendAsync(fixture.Server.Client, HttpMethod.Post, "/v1/videos/generations", unknown),
            HttpStatusCode.BadRequest, "lora_strengths[lora_middle]", "Unknown parameter 'lora_strengths[lora_middle]'");

        var notANumber = new MultipartFormDataContent
        {
            { new StringContent("a heron"), "prompt" },
            { new StringContent("strong"), "lora_strengths[lora_high]" },
        };
        AssertError(await SendAsync(fixture.Server.Client, HttpMethod.Post, "/v1/videos/generations", notANumber),
            HttpStatusCode.BadRequest, "lora_strengths.lora_high", "got 'strong'");
    }

    [Fact]
    public async Task Other_lora_strengths_under_the_same_idempotency_key_are_another_request()
    {
        const string key = "lora-strengths";
        const string body = """{"prompt": "a fox", "lora_strengths": {"lora_low": 1.5}}""";
        var (status, first) = await SendAsync(fixture.Server.Client, HttpMethod.Post, "/v1/videos/generations", Json(body), idempotencyKey: key);
        Assert.Equal(HttpStatusCode.Accepted, status);
        var (_, replay) = await SendAsync(fixture.Server.Client, HttpMethod.Post, "/v1/videos/generations", Json(body), idempotencyKey: key);
        Assert.Equal(first.GetProperty("id").GetString(), replay.GetProperty("id").GetString());

        AssertError(await SendAsync(fixture.Server.Client, HttpMethod.Post, "/v1/videos/generations",
            Json("""{"prompt": "a fox", "lora_strengths": {"lora_low": 1.2}}"""), idempotencyKey: key), HttpStatusCode.Conflict, "Idempotency-Key");
        AssertError(await SendAsync(fixture.Server.Client, HttpMethod.Post, "/v1/videos/generations",
            Json("""{"prompt": "a fox"}"""), idempotencyKey: key), HttpStatusCode.Conflict, "Idempotency-Key");
    }

    [Fact]
    public async Task The_model_schema_lists_each_recipes_loras_at_the_configured_strengths()
    {
        var (_, model) = await GetAsync(fixture.Server.Client, "/v1/models/svi-2-0-pro");
        var byRecipe = JsonNode.Parse(model.GetProperty("parameters").GetProperty("lora_strengths").GetProperty("by_recipe").GetRawText())!;
        Assert.True(JsonNode.DeepEquals(Strengths("""{"lora_high": 0.7, "lora_low": 1.0}"""), byRecipe["reference"]), byRecipe.ToJsonString());
        Assert.Equal(0.5, byRecipe["distilled"]!["distill_lora_high"]!.GetValue<double>());
    }

    [Fact]
    public async Task An_unknown_lora_names_the_valid_ones()
    {
        var error = AssertError(await PostJsonAsync(fixture.Server.Client, "/v1/videos/generations",
            """{"prompt": "a heron", "lora_strengths": {"lora_mid": 1}}"""), HttpStatusCode.BadRequest, "lora_strengths.lora_mid",
            "'lora_mid'", "lora_high, lora_low, distill_lora_high, distill_lora_low");
        Assert.Equal("unknown_parameter", error.GetProperty("code").GetString());
        AssertError(await PostJsonAsync(fixture.Server.Client, "/v1/videos/generations",
            """{"prompt": "a heron", "lora_strengths": [1, 2]}"""), HttpStatusCode.BadRequest, "lora_strengths", "an object from LoRA to strength");
    }
}

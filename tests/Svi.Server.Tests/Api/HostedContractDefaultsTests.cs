namespace Svi.Server.Tests.Api;

/// <summary>
/// Every default the hosted contract documents (tests/contract/hosted-contract.md, a byte-identical copy of the build
/// environment's ../shared/specs/hosted-contract.md, read here), as the
/// model schema states it and as a request that leaves the field out is stored: the model id, resolution, duration,
/// cfg, the English negative prompt verbatim and t2v_quality.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed partial class HostedContractDefaultsTests(ApiOnlyFixture fixture) : IClassFixture<ApiOnlyFixture>
{

    [GeneratedRegex(@"^\|\s*`(?<field>[a-z_0-9]+)`\s*\|\s*[^|]+\|\s*(?<default>[^|]+?)\s*\|", RegexOptions.Multiline)]
    private static partial Regex TableRow();

    [GeneratedRegex(@"model id `(?<id>[^`]+)`")]
    private static partial Regex ModelId();

    sealed record Contract(string ModelId, IReadOnlyDictionary<string, string> Defaults, string NegativePrompt);

    static string InRepository => Path.Combine(RepositoryRoot.Find(), "tests", "contract", "hosted-contract.md");

    static Contract ReadContract()
    {
        var text = File.ReadAllText(InRepository);
        var defaults = TableRow().Matches(text).Where(m => m.Groups["field"].Value != "parameter")
            .ToDictionary(m => m.Groups["field"].Value, m => m.Groups["default"].Value.Trim('*', '`', ' '));
        // The verbatim negative prompt: the indented line after "Default `negative_prompt`, verbatim:".
        var lines = text.Split('\n');
        int at = Array.FindIndex(lines, l => l.StartsWith("Default `negative_prompt`", StringComparison.Ordinal));
        var negative = lines.Skip(at + 1).First(l => l.StartsWith("    ", StringComparison.Ordinal)).Trim();
        return new Contract(ModelId().Match(text).Groups["id"].Value, defaults, negative);
    }

    [SharedSpecsFact]
    public void The_in_repository_contract_is_the_shared_specs_copy_byte_for_byte() =>
        Assert.Equal(File.ReadAllBytes(Path.Combine(SharedSpecsFactAttribute.Folder, "hosted-contract.md")), File.ReadAllBytes(InRepository));

    [Fact]
    public async Task Every_documented_default_is_in_the_model_schema_and_stored_for_a_request_that_omits_the_field()
    {
        var contract = ReadContract();
        Assert.Equal(["resolution", "duration", "cfg", "negative_prompt", "t2v_quality"], contract.Defaults.Keys);
        Assert.StartsWith("vibrant tone, overexposed", contract.NegativePrompt);

        var (status, model) = await GetAsync(fixture.Client, $"/v1/models/{contract.ModelId}");
        Assert.Equal(HttpStatusCode.OK, status);
        var schema = model.GetProperty("parameters");
        Assert.Equal(contract.ModelId, schema.GetProperty("model").GetProperty("default").GetString());
        Assert.Equal(contract.Defaults["resolution"], schema.GetProperty("resolution").GetProperty("default").GetString());
        Assert.Equal(double.Parse(contract.Defaults["duration"]), schema.GetProperty("duration").GetProperty("default").GetDouble());
        Assert.Equal(double.Parse(contract.Defaults["cfg"]), schema.GetProperty("cfg").GetProperty("default").GetDouble());
        Assert.Equal(contract.NegativePrompt, schema.GetProperty("negative_prompt").GetProperty("default").GetString());
        Assert.Equal(contract.Defaults["t2v_quality"], schema.GetProperty("t2v_quality").GetProperty("default").GetString());

        var (created, accepted) = await PostJsonAsync(fixture.Client, "/v1/videos/generations", """{"prompt": "a heron lands"}""");
        Assert.Equal(HttpStatusCode.Accepted, created);
        var (_, stored) = await GetAsync(fixture.Client, $"/v1/videos/generations/{accepted.GetProperty("id").GetString()}");
        Assert.Equal(contract.ModelId, stored.GetProperty("model").GetString());
        Assert.Equal(contract.Defaults["resolution"], stored.GetProperty("resolution").GetString());
        Assert.Equal(double.Parse(contract.Defaults["duration"]), stored.GetProperty("duration").GetDouble());
        Assert.Equal(double.Parse(contract.Defaults["cfg"]), stored.GetProperty("cfg").GetDouble());
        Assert.Equal(contract.NegativePrompt, stored.GetProperty("negative_prompt").GetString());
        Assert.Equal(contract.Defaults["t2v_quality"], stored.GetProperty("t2v_quality").GetString());
    }

    [Fact]
    public async Task The_schema_shows_the_distilled_recipe_in_force_kijai_at_full_distill_strength()
    {
        var (_, model) = await GetAsync(fixture.Client, "/v1/models/svi-2-0-pro");
        var distilled = model.GetProperty("recipes").GetProperty("distilled");
        Assert.Equal(("kijai", 6, 5.0, "euler"), (distilled.GetProperty("preset").GetString(), distilled.GetProperty("steps").GetInt32(),
            distilled.GetProperty("shift").GetDouble(), distilled.GetProperty("sampler").GetString()));
        Assert.Equal(JsonValueKind.Null, distilled.GetProperty("sampler_note").ValueKind);
        Assert.Equal((1.0, 1.0), (distilled.GetProperty("distill_strengths").GetProperty("high_noise_expert").GetDouble(),
            distilled.GetProperty("distill_strengths").GetProperty("low_noise_expert").GetDouble()));
        foreach (var resolution in distilled.GetProperty("loras").EnumerateObject())
        {
            var high = resolution.Value.GetProperty("high_noise_expert").EnumerateArray().ToList();
            var low = resolution.Value.GetProperty("low_noise_expert").EnumerateArray().ToList();
            Assert.Contains(high, l => l.GetProperty("role").GetString() == "DistillLoraHigh" && l.GetProperty("strength").GetDouble() == 1.0);
            // The 480p LOW distill at every resolution, as Kijai's workflow uses it.
            var lowDistill = Assert.Single(low, l => l.GetProperty("role").GetString() == "DistillLoraLow");
            Assert.Equal(1.0, lowDistill.GetProperty("strength").GetDouble());
            Assert.Contains("480p", lowDistill.GetProperty("file").GetString());
        }
    }
}

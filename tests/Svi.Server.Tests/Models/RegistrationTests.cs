using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Svi.Server.Cli;

namespace Svi.Server.Tests.Models;

public class RegistrationTests
{
    static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddModelInventory(configuration).BuildServiceProvider();
    }

    [Fact]
    public void The_real_inventory_is_registered_over_the_configured_models_directory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "svi-reg-models");
        using var services = Build(new() { ["Svi:ModelsDirectory"] = dir, ["Svi:Inference:Variant"] = "fp8" });
        var inventory = Assert.IsType<ModelInventory>(services.GetRequiredService<IModelInventory>());
        Assert.Equal(Path.GetFullPath(dir), inventory.ModelsDirectory);
        Assert.Contains("--variant fp8", inventory.Check().Hint);
        Assert.Equal("fp8", services.GetRequiredService<IOptions<InferenceOptions>>().Value.Variant);
    }

    [Fact]
    public void Invalid_inference_and_hub_settings_fail_with_one_message_each()
    {
        using var services = Build(new()
        {
            ["Svi:Inference:Steps"] = "0",
            ["Svi:Inference:Variant"] = "int4",
            ["Svi:Inference:MemoryPlan"] = "most",
            ["Svi:ModelHub:BaseUrl"] = "ftp://mirror",
            ["Svi:ModelHub:Parallelism"] = "0",
        });
        var inference = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<InferenceOptions>>().Value);
        Assert.Equal(3, inference.Failures.Count());
        Assert.Contains(inference.Failures, f => f.Contains("Svi:Inference:Variant 'int4' is not in the manifest"));
        var hub = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<HubOptions>>().Value);
        Assert.Equal(2, hub.Failures.Count());
    }

    [Fact]
    public void A_manifest_file_from_configuration_replaces_the_embedded_one()
    {
        string path = Path.Combine(Path.GetTempPath(), $"svi-manifest-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, File.ReadAllText(Path.Combine(Svi.Server.Tests.RepositoryRoot.Find(), "models", "svi-2.0-pro-wan2.2-a14b.json"))
            .Replace("\"svi-2.0-pro-wan2.2-a14b\"", "\"private-mirror\""));
        try
        {
            using var services = Build(new() { [ModelInventoryRegistration.ManifestKey] = path });
            Assert.Equal("private-mirror", services.GetRequiredService<ModelManifest>().Model);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Every_models_subcommand_and_flag_has_help_text()
    {
        var models = SviCommandLine.Create().Subcommands.Single(c => c.Name == "models");
        Assert.Equal(["list", "pull", "verify", "check"], models.Subcommands.Select(c => c.Name));
        foreach (var sub in models.Subcommands)
        {
            Assert.False(string.IsNullOrWhiteSpace(sub.Description), sub.Name);
            foreach (var option in sub.Options.Where(o => o.Name is not ("--help" or "-h" or "-?")))
                Assert.False(string.IsNullOrWhiteSpace(option.Description), $"models {sub.Name} {option.Name}");
        }
    }

    [Fact]
    public async Task Models_verify_exits_1_when_nothing_is_installed_and_list_exits_0()
    {
        string dir = Directory.CreateTempSubdirectory("svi-cli-").FullName;
        try
        {
            var root = SviCommandLine.Create();
            Assert.Equal(1, await root.Parse(["models", "verify", "--models-dir", dir]).InvokeAsync());
            Assert.Equal(0, await root.Parse(["models", "list", "--models-dir", dir, "--variant", "fp8"]).InvokeAsync());
            Assert.Equal(2, await root.Parse(["models", "pull", "--models-dir", dir, "--variant", "int4"]).InvokeAsync());
        }
        finally { Directory.Delete(dir, true); }
    }
}

using System.CommandLine;
using Svi.Server.Cli;

namespace Svi.Server.Tests.Deployment;

/// <summary>Dockerfile.cuda, docker/compose.yaml and .dockerignore agree with the code: paths, ports, env names, commands.</summary>
public partial class DeploymentFilesTests
{
    static readonly string Root = RepositoryRoot.Find();
    static readonly string Dockerfile = File.ReadAllText(Path.Combine(Root, "Dockerfile.cuda"));
    static readonly string Compose = File.ReadAllText(Path.Combine(Root, "docker", "compose.yaml"));
    const int Port = 8000;

    [GeneratedRegex(@"\b(Svi__[A-Za-z0-9_]+|ConnectionStrings__[A-Za-z0-9_]+)")]
    private static partial Regex EnvName();

    [GeneratedRegex(@"command:\s*\[([^\]]*)\]")]
    private static partial Regex ComposeCommand();

    [GeneratedRegex(@"^(ENTRYPOINT|CMD)\s+\[(.*)\]\s*$", RegexOptions.Multiline)]
    private static partial Regex ExecForm();

    static string[] JsonArray(string inner) =>
        Regex.Matches(inner, "\"([^\"]*)\"").Select(m => m.Groups[1].Value).ToArray();

    [Fact]
    public void The_image_builds_the_cuda_backend_that_the_kernels_project_wires()
    {
        // The backend is a build argument (docker/test-image.sh builds the same file with cpu); cuda is the default, and
        // both restore and publish use it.
        Assert.Contains("ARG SVI_TORCH_BACKEND=cuda", Dockerfile);
        Assert.Equal(2, Regex.Matches(Dockerfile, @"-p:SviTorchBackend=\$\{SVI_TORCH_BACKEND\}").Count);
        Assert.DoesNotMatch(@"-p:SviTorchBackend=(?!\$\{SVI_TORCH_BACKEND\})", Dockerfile);
        string kernels = File.ReadAllText(Path.Combine(Root, "src", "Svi.Kernels", "Svi.Kernels.csproj"));
        Assert.Contains("<PackageReference Include=\"TorchSharp-cuda-linux\" Condition=\"'$(SviTorchBackend)' == 'cuda'\" />", kernels);
        Assert.Matches(@"FROM \$\{CUDA_IMAGE\} AS runtime", Dockerfile);
        Assert.Matches(@"ARG CUDA_IMAGE=nvidia/cuda:", Dockerfile);
        Assert.Contains("ffmpeg", Dockerfile);
    }

    [Fact]
    public void The_three_bases_are_build_arguments_defaulting_to_the_published_images()
    {
        Assert.Contains("ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0", Dockerfile);
        Assert.Contains("ARG RUNTIME_IMAGE=mcr.microsoft.com/dotnet/aspnet:10.0", Dockerfile);
        Assert.Matches(@"ARG CUDA_IMAGE=nvidia/cuda:12\.8\.\d+-base-ubuntu24\.04", Dockerfile);
        var froms = Regex.Matches(Dockerfile, @"^FROM (\S+) AS (\S+)$", RegexOptions.Multiline).ToDictionary(m => m.Groups[2].Value, m => m.Groups[1].Value);
        Assert.Equal(new Dictionary<string, string> { ["build"] = "${SDK_IMAGE}", ["dotnet"] = "${RUNTIME_IMAGE}", ["runtime"] = "${CUDA_IMAGE}" }, froms);
    }

    [Fact]
    public void The_test_override_changes_only_services_of_the_compose_file_and_runs_real_commands()
    {
        string overrideFile = File.ReadAllText(Path.Combine(Root, "docker", "compose.test.yaml"));
        var services = Regex.Matches(overrideFile, @"^  ([a-z0-9-]+):\s*$", RegexOptions.Multiline).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(["postgres", "worker-0"], services);
        foreach (var service in services) Assert.Matches($@"(?m)^  {service}:\s*$", Compose);
        var worker = JsonArray(ComposeCommand().Match(overrideFile).Groups[1].Value);
        Assert.Equal(["worker", "--weights", "random"], worker);
        Assert.Empty(SviCommandLine.Create().Parse(worker).Errors);
    }

    [Fact]
    public void Every_project_file_the_dockerfile_copies_exists()
    {
        foreach (Match m in Regex.Matches(Dockerfile, @"^COPY (?!--from)(.+) \S+$", RegexOptions.Multiline))
            foreach (var source in m.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                string path = Path.Combine(Root, source.TrimEnd('/'));
                bool exists = source.Contains('*')
                    ? Directory.GetFiles(Path.Combine(Root, Path.GetDirectoryName(source)!), Path.GetFileName(source)).Length > 0
                    : File.Exists(path) || Directory.Exists(path);
                Assert.True(exists, $"Dockerfile.cuda copies '{source}', which is not in the repository");
            }
    }

    [Fact]
    public void The_entry_point_is_the_published_svi_assembly_and_the_default_command_is_serve()
    {
        var lines = ExecForm().Matches(Dockerfile).ToDictionary(m => m.Groups[1].Value, m => JsonArray(m.Groups[2].Value));
        Assert.Equal(["/app/entrypoint.sh"], lines["ENTRYPOINT"]);
        Assert.Contains("COPY docker/entrypoint.sh /app/entrypoint.sh", Dockerfile);
        Assert.Contains("COPY scripts/postgres.sh /app/scripts/postgres.sh", Dockerfile);
        string entrypoint = File.ReadAllText(Path.Combine(Root, "docker", "entrypoint.sh"));
        Assert.Contains("SVI_APP=\"${SVI_APP:-/app/svi.dll}\"", entrypoint);
        Assert.Contains("SVI_SCRIPTS=\"${SVI_SCRIPTS:-/app/scripts}\"", entrypoint);
        Assert.Equal("svi", typeof(ModelsCommand).Assembly.GetName().Name);
        Assert.Contains("-o /app", Dockerfile);
        AssertCommandExists(lines["CMD"]);
    }

    [Fact]
    public void Every_command_compose_runs_is_a_real_svi_command()
    {
        // Only services built from the svi image run svi commands; Prometheus and Grafana have their own.
        var sviServices = Regex.Split(Compose, @"^(?=  [a-z0-9-]+:\s*$)", RegexOptions.Multiline).Where(b => b.Contains("<<: *svi\n"));
        var commands = sviServices.SelectMany(b => ComposeCommand().Matches(b)).Select(m => JsonArray(m.Groups[1].Value)).ToList();
        Assert.Equal(ComposeCommand().Matches(Compose).Count - 1, commands.Count);
        Assert.Contains(commands, c => c[0] == "serve");
        Assert.Contains(commands, c => c[0] == "worker");
        foreach (var c in commands)
        {
            AssertCommandExists(c);
            var parse = SviCommandLine.Create().Parse(c.Select(a => a.Replace("${SVI_VARIANT_PULL:-fp8}", "fp8")).ToArray());
            Assert.True(parse.Errors.Count == 0, $"'svi {string.Join(' ', c)}': {string.Join("; ", parse.Errors.Select(e => e.Message))}");
        }
        var serve = commands.Single(c => c[0] == "serve");
        Assert.Contains(SviCommandLine.Create().Subcommands.Single(s => s.Name == "serve").Options, o => o.Name == serve[1]);
    }

    static void AssertCommandExists(string[] args)
    {
        Command command = SviCommandLine.Create();
        foreach (var word in args.TakeWhile(a => !a.StartsWith('-')))
        {
            var next = command.Subcommands.FirstOrDefault(s => s.Name == word);
            Assert.True(next is not null, $"'svi {string.Join(' ', args)}': '{word}' is not a subcommand of '{command.Name}'");
            command = next!;
        }
    }

    [Fact]
    public void The_port_is_8000_in_expose_healthcheck_urls_and_compose()
    {
        Assert.Contains($"EXPOSE {Port}", Dockerfile);
        Assert.Matches($@"HEALTHCHECK[\s\S]*curl -fsS http://127\.0\.0\.1:{Port}/healthz", Dockerfile);
        Assert.Contains($"ASPNETCORE_URLS=http://0.0.0.0:{Port}", Dockerfile);
        Assert.Contains($"\"${{SVI_PORT:-{Port}}}:{Port}\"", Compose);
        // The server's own default listen address.
        Assert.EndsWith($":{Port}", Svi.Server.Hosting.SviOptions.DefaultUrls);
    }

    [Fact]
    public void Models_and_data_are_volumes_at_the_paths_the_configuration_points_to()
    {
        Assert.Contains("VOLUME [\"/models\", \"/data\"]", Dockerfile);
        Assert.Contains($"{ModelsDirectory.Key.Replace(":", "__")}=/models", Dockerfile);
        Assert.Contains("Svi__DataDirectory=/data", Dockerfile);
        Assert.Contains("- models:/models", Compose);
        Assert.Contains("- data:/data", Compose);
        Assert.Contains("Svi__ModelsDirectory: /models", Compose);
        Assert.Contains("Svi__DataDirectory: /data", Compose);
    }

    [Fact]
    public void Every_environment_variable_names_a_real_option()
    {
        var known = new HashSet<string>(StringComparer.Ordinal)
        {
            // owned by the server host (Svi.Server.Hosting.SviOptions, ConnectionStrings)
            "Svi__DataDirectory", "Svi__ModelsDirectory", "Svi__ApiKeys__0", "ConnectionStrings__Svi",
            Svi.Server.Observability.WorkerMetricsEndpoint.PortKey.Replace(":", "__"),
        };
        foreach (var p in typeof(InferenceOptions).GetProperties()) known.Add($"{InferenceOptions.Section.Replace(":", "__")}__{p.Name}");
        foreach (var p in typeof(HubOptions).GetProperties()) known.Add($"Svi__ModelHub__{p.Name}");
        var used = EnvName().Matches(Dockerfile + Compose).Select(m => m.Value).Distinct().ToList();
        Assert.NotEmpty(used);
        foreach (var name in used) Assert.True(known.Contains(name), $"{name} is set in the deployment files but no option binds it");
        Assert.Contains($"{HubOptions.TokenEnvironmentVariable}: ${{HF_TOKEN:-}}", Compose);
    }

    [Fact]
    public void Compose_env_values_for_inference_options_are_valid()
    {
        var options = new InferenceOptions { Device = "cuda:0", MemoryPlan = "auto", Variant = "auto" };
        Assert.Empty(options.Validate());
        Assert.Contains("Svi__Inference__Device: cuda:0", Compose);
        Assert.Contains("Svi__Inference__MemoryPlan: ${SVI_MEMORY_PLAN:-auto}", Compose);
    }

    [Fact]
    public void The_container_runs_as_a_non_root_user()
    {
        var user = Regex.Match(Dockerfile, @"^USER\s+(\S+)", RegexOptions.Multiline);
        Assert.True(user.Success);
        Assert.DoesNotContain(user.Groups[1].Value, new[] { "root", "0", "0:0" });
    }

    [Fact]
    public void Each_worker_reserves_its_own_gpu_and_shares_the_database()
    {
        var ids = Regex.Matches(Compose, @"device_ids: \[""(\d+)""\]").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(ids.Distinct(), ids);
        Assert.Equal(["0", "1", "2", "3"], ids);
        Assert.Equal(ids.Count, Regex.Matches(Compose, @"driver: nvidia").Count);
        Assert.Equal(ids.Count, Regex.Matches(Compose, @"command: \[""worker""\]").Count);
        Assert.Contains("ConnectionStrings__Svi: Host=postgres;", Compose);
        Assert.Contains("image: postgres:", Compose);
    }

    [Fact]
    public void The_docker_context_keeps_the_manifests_and_drops_build_output_and_weights()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, ".dockerignore")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        Assert.Contains("**/bin/", lines);
        Assert.Contains("**/obj/", lines);
        Assert.Contains("models/**", lines);
        Assert.Contains("!models/*.json", lines);
        Assert.DoesNotContain(lines, l => l is "src/" or "build/" or "models/*.json");
        Assert.True(lines.IndexOf("!models/*.json") > lines.IndexOf("models/**"), "the re-include must come after the exclusion");
        Assert.True(lines.IndexOf("!docker/entrypoint.sh") > lines.IndexOf("docker/"), "the entry point must stay in the context");
        Assert.DoesNotContain(lines, l => l is "scripts/" or "scripts/**");
    }
}

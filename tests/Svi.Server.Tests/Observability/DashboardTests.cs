using Svi.Server.Observability;

namespace Svi.Server.Tests.Observability;

/// <summary>A stand-in for one 80 GiB GPU (there is none here), for the GPU memory sampler.</summary>
public sealed class StandInGpu : ICudaRuntime, IDeviceMemoryProbe
{
    public const long Total = 80L << 30, Free = 30L << 30;
    public (int Count, string? Reason) Probe() => (1, null);
    public GpuMemory? Gpu(int index) => new("Stand-in GPU", Free, Total);
    public long? HostAvailableBytes() => null;
}

public sealed class MetricsServerFixture : ServerFixture
{
    public const string Key = "sk-metrics-test-key";
    protected override string[] ExtraConfig => [$"--Svi:ApiKeys:0={Key}"];
}

/// <summary>docker/grafana/svi.json only asks Prometheus for series the server exports.</summary>
[Collection(ServerCollection.Name)]
public sealed class DashboardTests(MetricsServerFixture fixture) : IClassFixture<MetricsServerFixture>
{
    private static readonly string Root = RepositoryRoot.Find();
    private static readonly JsonElement Dashboard =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "docker", "grafana", "svi.json"))).RootElement.Clone();

    private static IEnumerable<JsonElement> Panels() =>
        Dashboard.GetProperty("panels").EnumerateArray().Where(p => p.GetProperty("type").GetString() != "row");

    private static IReadOnlyList<string> Expressions() =>
        [.. Panels().SelectMany(p => p.GetProperty("targets").EnumerateArray()).Select(t => t.GetProperty("expr").GetString()!)];

    [Fact]
    public void Query_parsing_finds_metric_names_and_nothing_else()
    {
        Assert.Equal(["svi_clip_seconds_bucket"],
            PromQl.MetricNames("histogram_quantile(0.95, sum by (le, mode) (rate(svi_clip_seconds_bucket{mode=\"i2v\"}[$__rate_interval])))"));
        Assert.Equal(["le", "mode", "recipe"], PromQl.GroupingLabels("histogram_quantile(0.5, sum by (le, mode, recipe) (rate(x_bucket{a=\"by (b)\"}[5m])))"));
        Assert.Equal(["a_total", "b_bytes"], PromQl.MetricNames("sum without (x) (increase(a_total[1h])) / on (device) group_left b_bytes * 60"));
    }

    [Fact]
    public async Task Every_metric_the_dashboard_queries_is_exported_by_the_server()
    {
        // Give every series a reason to exist: a finished job, a failed job, an API error, an HTTP request and a
        // GPU memory sample (from a stand-in GPU: this machine has none).
        var client = fixture.Server.Client;
        var ok = await Http.PostJsonAsync(client, "/v1/videos/generations", """{"prompt": "a fox", "duration": 5}""", MetricsServerFixture.Key);
        var failed = await Http.PostJsonAsync(client, "/v1/videos/generations", $$"""{"prompt": "{{FfmpegTestRenderer.FailPrompt}}"}""", MetricsServerFixture.Key);
        await fixture.Server.WaitForAsync(ok.Body.GetProperty("id").GetString()!, SviTestServer.IsTerminal, apiKey: MetricsServerFixture.Key);
        await fixture.Server.WaitForAsync(failed.Body.GetProperty("id").GetString()!, SviTestServer.IsTerminal, apiKey: MetricsServerFixture.Key);
        await Http.PostJsonAsync(client, "/v1/videos/generations", """{"prompt": "a fox", "cfg": 9}""", MetricsServerFixture.Key);
        var stand = new StandInGpu();
        Assert.Equal(1, new GpuMemorySampler(stand, stand).Sample());

        var scrape = await MetricsScrape.ReadAsync(client);
        var names = Expressions().SelectMany(PromQl.MetricNames).Distinct().Order().ToList();
        Assert.True(names.Count >= 10, $"the dashboard should query the server's metrics; found {string.Join(", ", names)}");
        var missing = names.Where(n => !scrape.Has(n)).ToList();
        Assert.True(missing.Count == 0, $"the dashboard queries series the server does not export: {string.Join(", ", missing)}");
        // A panel grouped by a label the series lacks draws one unlabelled line: every grouping label must be exported.
        var unlabelled = Expressions()
            .SelectMany(e => PromQl.MetricNames(e).SelectMany(n => PromQl.GroupingLabels(e).Select(label => (Name: n, Label: label))))
            .Where(x => !scrape.Samples.Any(s => s.Name == x.Name && s.Labels.ContainsKey(x.Label)))
            .Select(x => $"{x.Name} by {x.Label}").Distinct().ToList();
        Assert.True(unlabelled.Count == 0, $"the dashboard groups series by labels the server does not export: {string.Join(", ", unlabelled)}");

        Assert.True(scrape.Value("svi_generations", ("status", "completed")) >= 1);
        Assert.True(scrape.Value("svi_generation_errors_total", ("code", "test_failure")) >= 1);
        Assert.True(scrape.Value("svi_api_errors_total", ("status", "400")) >= 1);
        Assert.Equal(StandInGpu.Total - StandInGpu.Free, scrape.Value("svi_gpu_memory_used_bytes", ("device", "cuda:0"), ("gpu", "Stand-in GPU")));
    }

    [Fact]
    public async Task Step_and_clip_times_count_each_step_and_clip_of_a_render()
    {
        var before = await MetricsScrape.ReadAsync(fixture.Server.Client);
        var labels = new[] { ("mode", "t2v-quality"), ("resolution", "480x832"), ("recipe", "distilled") };
        var created = await Http.PostJsonAsync(fixture.Server.Client, "/v1/videos/generations",
            """{"prompt": "a tall fox", "duration": 9, "resolution": "480x832"}""", MetricsServerFixture.Key);
        var done = await fixture.Server.WaitForAsync(created.Body.GetProperty("id").GetString()!, SviTestServer.IsTerminal, apiKey: MetricsServerFixture.Key);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        var after = await MetricsScrape.ReadAsync(fixture.Server.Client);

        // The test renderer: 2 clips (144 frames) of 3 steps; the first step of each clip is not a pure step and is left out.
        Assert.Equal(2, after.Value("svi_clip_seconds_count", labels) - before.Value("svi_clip_seconds_count", labels));
        Assert.Equal(4, after.Value("svi_step_seconds_count", labels) - before.Value("svi_step_seconds_count", labels));
        Assert.Equal(1, after.Value("svi_generation_render_seconds_count", labels) - before.Value("svi_generation_render_seconds_count", labels));
    }

    [Fact]
    public void Every_panel_queries_the_provisioned_prometheus()
    {
        var datasource = File.ReadAllText(Path.Combine(Root, "docker", "grafana", "provisioning", "datasources", "prometheus.yaml"));
        var uid = Regex.Match(datasource, @"uid:\s*(\S+)").Groups[1].Value;
        Assert.NotEmpty(Panels());
        foreach (var panel in Panels())
        {
            Assert.Equal(uid, panel.GetProperty("datasource").GetProperty("uid").GetString());
            Assert.NotEmpty(panel.GetProperty("targets").EnumerateArray());
        }
        Assert.Contains("url: http://prometheus:9090", datasource);
    }

    [Fact]
    public void The_monitoring_profile_scrapes_the_api_and_every_worker_on_its_metrics_port()
    {
        var compose = File.ReadAllText(Path.Combine(Root, "docker", "compose.yaml"));
        var prometheus = File.ReadAllText(Path.Combine(Root, "docker", "prometheus", "prometheus.yml"));
        var port = Regex.Match(compose, @"Svi__Metrics__WorkerPort: (\d+)").Groups[1].Value;
        Assert.NotEmpty(port);
        Assert.Contains("\"api:8000\"", prometheus);
        foreach (var worker in Regex.Matches(compose, @"^  (worker-\d+):", RegexOptions.Multiline).Select(m => m.Groups[1].Value))
            Assert.Contains($"\"{worker}:{port}\"", prometheus);
        Assert.Equal(2, Regex.Matches(compose, @"profiles: \[monitoring\]").Count);
        Assert.Contains("./grafana/svi.json:/var/lib/grafana/dashboards/svi.json:ro", compose);
        Assert.Contains("./prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro", compose);
    }
}

namespace Svi.Server.Tests.Models;

public sealed class HubPullTests() : FakeHubTest("svi-pull-")
{
    const string Commit = TestHub.Commit;

    HubOptions Options(TimeSpan? idle = null, int attempts = 4) => new()
    {
        BaseUrl = Hub.BaseUrl,
        Parallelism = 3,
        IdleTimeout = idle ?? TimeSpan.FromSeconds(10),
        ConnectTimeout = TimeSpan.FromSeconds(5),
        MaxAttempts = attempts,
        RetryDelay = TimeSpan.Zero,
    };

    /// <summary>A manifest of served files: (path, role, size and sha256 to write into the manifest, optional).</summary>
    static ModelManifest Manifest(params (string Path, string Role, long? Size, string? Sha, bool Optional)[] files) =>
        ModelManifest.Parse(ManifestJson(files.Select(f => Entry(f.Path, f.Role, f.Size, f.Sha, optional: f.Optional)).ToArray()), "test manifest");

    async Task<(PullReport Report, ModelInventory Inventory)> Pull(ModelManifest manifest, HubOptions options)
    {
        var inventory = new ModelInventory(manifest, Folder);
        using var http = HubDownloader.CreateClient(options);
        var puller = new ModelPuller(inventory, new HubDownloader(http, options), options);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        return (await puller.PullAsync("fp8", null, new DownloadProgress(), timeout.Token), inventory);
    }

    string Installed(string path) => Path.Combine(Folder, path);

    [Fact]
    public async Task Pull_downloads_every_file_in_parallel_checks_it_and_moves_it_into_place()
    {
        var a = Serve("vae/a.safetensors", 300_000, 1);
        var b = Serve("loras/b.safetensors", 1_500_000, 2);
        var c = Serve("c.bin", 10, 3);
        var (report, _) = await Pull(Manifest(
            ("vae/a.safetensors", "Vae", a.Content.Length, a.Sha256, false),
            ("loras/b.safetensors", "LoraHigh", b.Content.Length, b.Sha256, false),
            ("c.bin", "LoraLow", null, null, false)), Options());

        Assert.True(report.Succeeded, string.Join("; ", report.Results.Select(r => r.Detail)));
        Assert.All(report.Results, r => Assert.Equal(PullStatus.Downloaded, r.Status));
        Assert.Equal(a.Content, File.ReadAllBytes(Installed("vae/a.safetensors")));
        Assert.Equal(b.Content, File.ReadAllBytes(Installed("loras/b.safetensors")));
        Assert.Equal(c.Content, File.ReadAllBytes(Installed("c.bin")));
        Assert.Empty(Directory.GetFiles(Folder, "*.part", SearchOption.AllDirectories));
        Assert.Contains("no published sha256", report.Results.Single(r => r.File.Path == "c.bin").Detail);
    }

    [Fact]
    public async Task A_connection_cut_mid_file_resumes_with_a_range_request()
    {
        var f = Serve("dit.safetensors", 2_000_000, 4);
        f.CutOnceAfter = 700_000;
        var (report, _) = await Pull(Manifest(("dit.safetensors", "Vae", f.Content.Length, f.Sha256, false)), Options());

        Assert.True(report.Succeeded, report.Results[0].Detail);
        Assert.Equal(f.Content, File.ReadAllBytes(Installed("dit.safetensors")));
        var requests = Hub.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal($"org/repo/resolve/{Commit}/split/dit.safetensors", requests[0]);
        Assert.Matches(@"dit\.safetensors bytes=\d+-$", requests[1]);
        Assert.True(long.Parse(requests[1].Split('=')[1].TrimEnd('-')) > 0);
    }

    [Fact]
    public async Task A_part_file_left_by_an_earlier_run_is_resumed_not_restarted()
    {
        var f = Serve("t5.safetensors", 1_000_000, 5);
        File.WriteAllBytes(Installed("t5.safetensors.part"), f.Content[..400_000]);
        var (report, _) = await Pull(Manifest(("t5.safetensors", "Vae", f.Content.Length, f.Sha256, false)), Options());

        Assert.True(report.Succeeded, report.Results[0].Detail);
        Assert.Equal(f.Content, File.ReadAllBytes(Installed("t5.safetensors")));
        Assert.Equal([$"org/repo/resolve/{Commit}/split/t5.safetensors bytes=400000-"], Hub.Requests.ToList());
    }

    [Fact]
    public async Task A_server_that_ignores_range_gets_the_file_from_byte_zero()
    {
        var f = Serve("v.safetensors", 500_000, 6);
        f.IgnoreRange = true;
        File.WriteAllBytes(Installed("v.safetensors.part"), TestHub.RandomBytes(100_000, 99)); // stale, wrong bytes
        var (report, _) = await Pull(Manifest(("v.safetensors", "Vae", f.Content.Length, f.Sha256, false)), Options());

        Assert.True(report.Succeeded, report.Results[0].Detail);
        Assert.Equal(f.Content, File.ReadAllBytes(Installed("v.safetensors")));
    }

    [Fact]
    public async Task A_checksum_mismatch_fails_the_file_and_leaves_nothing_behind()
    {
        var f = Serve("lora.safetensors", 200_000, 7);
        string wrong = new('0', 64);
        var (report, inventory) = await Pull(Manifest(("lora.safetensors", "Vae", f.Content.Length, wrong, false)), Options());

        var result = Assert.Single(report.Results);
        Assert.Equal(PullStatus.Failed, result.Status);
        Assert.Contains("sha256", result.Detail);
        Assert.Contains(f.Sha256, result.Detail);
        Assert.False(File.Exists(Installed("lora.safetensors")));
        Assert.False(File.Exists(Installed("lora.safetensors.part")));
        Assert.False(inventory.Check().ImageToVideo);
    }

    [Fact]
    public async Task Without_a_manifest_checksum_the_hubs_lfs_etag_is_checked()
    {
        var good = Serve("good.safetensors", 100_000, 8);
        good.RedirectToCdn = true; // the hash travels on the redirect, as on huggingface.co
        var bad = Serve("bad.safetensors", 100_000, 9);
        bad.LinkedEtag = new string('a', 64);
        var (report, _) = await Pull(Manifest(
            ("good.safetensors", "Vae", null, null, false),
            ("bad.safetensors", "LoraHigh", null, null, false)), Options());

        var g = report.Results.Single(r => r.File.Path == "good.safetensors");
        Assert.Equal(PullStatus.Downloaded, g.Status);
        Assert.Contains("sha256 checked (hub)", g.Detail);
        var b = report.Results.Single(r => r.File.Path == "bad.safetensors");
        Assert.Equal(PullStatus.Failed, b.Status);
        Assert.Contains("sha256 (hub)", b.Detail);
    }

    [Fact]
    public async Task A_size_that_disagrees_with_the_hub_fails_before_downloading()
    {
        var f = Serve("s.safetensors", 50_000, 10);
        var (report, _) = await Pull(Manifest(("s.safetensors", "Vae", 60_000, null, false)), Options());
        var r = Assert.Single(report.Results);
        Assert.Equal(PullStatus.Failed, r.Status);
        Assert.Contains("size (manifest vs hub)", r.Detail);
    }

    [Fact]
    public async Task Pull_interpolation_adds_the_optional_rife_file_and_a_plain_pull_leaves_it_out()
    {
        var vae = Serve("vae.safetensors", 1000, 5);
        var rife = Serve("interpolation/rife.onnx", 5000, 6);
        var manifest = Manifest(("vae.safetensors", "Vae", vae.Content.Length, vae.Sha256, false),
            ("interpolation/rife.onnx", "Interpolation", rife.Content.Length, rife.Sha256, true));
        var inventory = new ModelInventory(manifest, Folder);
        using var http = HubDownloader.CreateClient(Options());
        var puller = new ModelPuller(inventory, new HubDownloader(http, Options()), Options());

        var plain = await puller.PullAsync("fp8", PullSelection.Roles(manifest, "distilled", t2v: false, interpolation: false, all: false),
            new DownloadProgress(), CancellationToken.None);
        Assert.Equal(["vae.safetensors"], plain.Results.Select(r => r.File.Path));
        Assert.Null(inventory.InterpolationModel());

        var withRife = await puller.PullAsync("fp8", PullSelection.Roles(manifest, "distilled", t2v: false, interpolation: true, all: false),
            new DownloadProgress(), CancellationToken.None);
        Assert.True(withRife.Succeeded, string.Join("; ", withRife.Results.Select(r => r.Detail)));
        Assert.Equal(PullStatus.Downloaded, withRife.Results.Single(r => r.File.Role == ModelRole.Interpolation).Status);
        Assert.Equal(rife.Content, File.ReadAllBytes(Installed("interpolation/rife.onnx")));
        Assert.Equal(Installed("interpolation/rife.onnx"), inventory.InterpolationModel());
        Assert.Null(PullSelection.Roles(manifest, "distilled", t2v: false, interpolation: false, all: true));   // --all: every file
    }

    [Fact]
    public async Task A_404_fails_a_required_file_and_skips_an_optional_one()
    {
        var (report, _) = await Pull(Manifest(
            ("gone.safetensors", "Vae", null, null, false),
            ("extra.json", "Tokenizer", null, null, true)), Options());

        var required = report.Results.Single(r => r.File.Path == "gone.safetensors");
        Assert.Equal(PullStatus.Failed, required.Status);
        Assert.Contains("404", required.Detail);
        Assert.Equal(PullStatus.SkippedOptional, report.Results.Single(r => r.File.Path == "extra.json").Status);
        Assert.False(report.Succeeded);
        var text = new StringWriter();
        report.WriteTo(text);
        Assert.Contains("1 file(s) missing", text.ToString());
    }

    [Fact]
    public async Task A_stalled_server_is_abandoned_after_the_idle_timeout_and_the_bounded_retries()
    {
        var f = Serve("slow.safetensors", 400_000, 11);
        f.StallAfter = 1000;
        // A first request warms the hub up, so that each attempt reaches it well within the idle timeout.
        var warm = Serve("warm.bin", 10, 13);
        using (var http = new HttpClient()) Assert.Equal(warm.Content, await http.GetByteArrayAsync($"{Hub.BaseUrl}/org/repo/resolve/{Commit}/split/warm.bin"));
        Hub.Requests.Clear();
        // The stalled server never sends the rest: only the idle timeout ends an attempt (Pull's own 60 s cancellation
        // is the hang guard, not a speed bound).
        var (report, _) = await Pull(Manifest(("slow.safetensors", "Vae", f.Content.Length, f.Sha256, false)),
            Options(idle: TimeSpan.FromSeconds(2), attempts: 3));

        var r = Assert.Single(report.Results);
        Assert.Equal(PullStatus.Failed, r.Status);
        Assert.Contains("gave up after 3 attempts", r.Detail);
        Assert.Contains("idle timeout", r.Detail);
        // On a loaded machine a retry may time out before the hub has logged it; none is made beyond the three.
        Assert.InRange(Hub.Requests.Count, 1, 3);
        // the bytes that did arrive are kept for the next run
        Assert.True(File.Exists(Installed("slow.safetensors.part")));
    }

    [Fact]
    public async Task Files_already_installed_are_not_downloaded_again()
    {
        var f = Serve("here.safetensors", 1000, 12);
        File.WriteAllBytes(Installed("here.safetensors"), f.Content);
        var (report, _) = await Pull(Manifest(("here.safetensors", "Vae", f.Content.Length, f.Sha256, false)), Options());
        Assert.Equal(PullStatus.AlreadyPresent, Assert.Single(report.Results).Status);
        Assert.Empty(Hub.Requests);
    }

    [Fact]
    public void The_progress_line_shows_bar_bytes_rate_and_eta()
    {
        string line = ConsoleProgressBar.Render(5L << 30, 10L << 30, 100 << 20, TimeSpan.FromSeconds(51), 2, width: 10);
        Assert.Equal("[#####-----]  50%  5.0 GiB/10.0 GiB  100.0 MiB/s  ETA 51s  2 active", line);
    }
}

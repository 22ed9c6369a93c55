using Svi.Server.Cli;

namespace Svi.Server.Tests.Models;

/// <summary>
/// <c>./svi models check --remote</c> against a fake hub on 127.0.0.1: a file served as pinned, one gone (404), one
/// served with another sha256, and an unpinned one whose current commit is printed; HEAD requests only.
/// </summary>
// Redirects the process-wide Console, like the other command tests of this collection.
[Collection(nameof(Pipeline.GenerateCommandTests))]
public sealed class RemoteCheckTests : IAsyncLifetime
{
    TestHub hub = null!;
    readonly string dir = Directory.CreateTempSubdirectory("svi-check-").FullName;

    public async Task InitializeAsync() => hub = await TestHub.StartAsync();

    public async Task DisposeAsync()
    {
        await hub.DisposeAsync();
        Directory.Delete(dir, recursive: true);
    }

    TestHub.Served Serve(string revision, string path, int seed)
    {
        var served = new TestHub.Served { Content = TestHub.RandomBytes(1000 + seed, seed), SendSha256Etag = true };
        hub.Files[$"org/repo/resolve/{revision}/split/{path}"] = served;
        return served;
    }

    static object Entry(string path, string role, string? revision, long size, string sha, object[]? alternatives = null) => new
    {
        path,
        role,
        variants = new[] { "fp8" },
        format = "safetensors",
        architecture = "lora-wan-a14b",
        source = new { repo = "org/repo", revision, path = $"split/{path}" },
        size,
        sha256 = sha,
        license = "apache-2.0",
        alternatives,
    };

    string WriteManifest(params object[] files)
    {
        string path = Path.Combine(dir, "manifest.json");
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            schema = 1,
            model = "test",
            description = "test",
            variants = new Dictionary<string, object> { ["fp8"] = new { description = "t", weightDType = "fp8_e4m3fn_scaled" } },
            preference = new[] { "fp8" },
            modes = new Dictionary<string, string[]> { ["i2v"] = ["Vae"] },
            files,
        }));
        return path;
    }

    static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(output);
        try { return (await SviCommandLine.Create().Parse(args).InvokeAsync(), output.ToString()); }
        finally { Console.SetOut(previous); }
    }

    static string LineOf(string output, string path) => output.Split('\n').Single(l => l.Contains($"split/{path}", StringComparison.Ordinal));

    [Fact]
    public async Task Check_remote_names_each_file_that_vanished_or_moved_on_its_own_line_and_exits_1()
    {
        const string commit = TestHub.Commit;
        var same = Serve(commit, "same.safetensors", 1);
        var moved = Serve(commit, "moved.safetensors", 2);
        string pinnedSha = new string('a', 64);
        var alternative = Serve(commit, "kj.safetensors", 4);
        var manifest = WriteManifest(
            Entry("same.safetensors", "Vae", commit, same.Content.Length, same.Sha256,
                [new { path = "kj.safetensors", source = new { repo = "org/repo", revision = commit, path = "split/kj.safetensors" },
                       size = alternative.Content.Length, sha256 = alternative.Sha256, license = (string?)null }]),
            Entry("gone.safetensors", "DitHigh", commit, 1234, new string('b', 64)),
            Entry("moved.safetensors", "DitLow", commit, moved.Content.Length, pinnedSha));

        var (exit, output) = await RunAsync("models", "check", "--remote", "--manifest", manifest, "--hub-url", hub.BaseUrl);

        Assert.True(exit == 1, output);
        Assert.Contains("VANISHED", LineOf(output, "gone.safetensors"));
        Assert.Contains("HTTP 404", LineOf(output, "gone.safetensors"));
        var movedLine = LineOf(output, "moved.safetensors");
        Assert.Contains("MOVED", movedLine);
        Assert.Contains($"sha256 {moved.Sha256}, manifest {pinnedSha}", movedLine);
        Assert.StartsWith("  same", LineOf(output, "same.safetensors"));
        Assert.StartsWith("  same", LineOf(output, "kj.safetensors"));
        Assert.Contains("2 same, 1 moved, 1 vanished.", output);
        // Nothing was downloaded: every request was a HEAD.
        Assert.All(hub.Requests, r => Assert.StartsWith("HEAD ", r));
        Assert.Equal(4, hub.Requests.Count);
    }

    [Fact]
    public async Task Everything_as_pinned_exits_0_and_an_unpinned_file_shows_the_commit_its_branch_resolves_to()
    {
        var pinned = Serve(TestHub.Commit, "pinned.safetensors", 5);
        var unpinned = Serve("main", "unpinned.safetensors", 6);
        var manifest = WriteManifest(
            Entry("pinned.safetensors", "Vae", TestHub.Commit, pinned.Content.Length, pinned.Sha256),
            Entry("unpinned.safetensors", "DitHigh", null, unpinned.Content.Length, unpinned.Sha256));

        var (exit, output) = await RunAsync("models", "check", "--remote", "--manifest", manifest, "--hub-url", hub.BaseUrl);

        Assert.True(exit == 0, output);
        Assert.Contains("unpinned", LineOf(output, "unpinned.safetensors"));
        Assert.Contains($"main is now {TestHub.Commit}", LineOf(output, "unpinned.safetensors"));
        Assert.Contains("2 same.", output);
    }

    [Fact]
    public async Task Check_without_remote_says_what_it_does_and_exits_2()
    {
        var (exit, _) = await RunAsync("models", "check");
        Assert.Equal(2, exit);
    }
}

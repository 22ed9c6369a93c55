using Svi.Server.Cli;

namespace Svi.Server.Tests.Models;

/// <summary>
/// <c>./svi models check --remote</c> against a fake hub on 127.0.0.1: a file served as pinned, one gone (404), one
/// served with another sha256, and an unpinned one whose current commit is printed; HEAD requests only.
/// </summary>
// Redirects the process-wide Console, like the other command tests of this collection.
[Collection(nameof(Pipeline.GenerateCommandTests))]
public sealed class RemoteCheckTests() : FakeHubTest("svi-check-")
{
    TestHub.Served Serve(string revision, string path, int seed) => Serve(path, 1000 + seed, seed, revision, sha256Etag: true);

    string WriteManifest(params object[] files)
    {
        string path = Path.Combine(Folder, "manifest.json");
        File.WriteAllText(path, ManifestJson(files));
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
            Entry("same.safetensors", "Vae", same.Content.Length, same.Sha256, commit, alternatives:
                [new { path = "kj.safetensors", source = new { repo = "org/repo", revision = commit, path = "split/kj.safetensors" },
                       size = alternative.Content.Length, sha256 = alternative.Sha256, license = (string?)null }]),
            Entry("gone.safetensors", "DitHigh", 1234, new string('b', 64), commit),
            Entry("moved.safetensors", "DitLow", moved.Content.Length, pinnedSha, commit));

        var (exit, output) = await RunAsync("models", "check", "--remote", "--manifest", manifest, "--hub-url", Hub.BaseUrl);

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
        Assert.All(Hub.Requests, r => Assert.StartsWith("HEAD ", r));
        Assert.Equal(4, Hub.Requests.Count);
    }

    [Fact]
    public async Task Everything_as_pinned_exits_0_and_an_unpinned_file_shows_the_commit_its_branch_resolves_to()
    {
        var pinned = Serve(TestHub.Commit, "pinned.safetensors", 5);
        var unpinned = Serve("main", "unpinned.safetensors", 6);
        var manifest = WriteManifest(
            Entry("pinned.safetensors", "Vae", pinned.Content.Length, pinned.Sha256),
            Entry("unpinned.safetensors", "DitHigh", unpinned.Content.Length, unpinned.Sha256, revision: null));

        var (exit, output) = await RunAsync("models", "check", "--remote", "--manifest", manifest, "--hub-url", Hub.BaseUrl);

        Assert.True(exit == 0, output);
        Assert.Contains("unpinned", LineOf(output, "unpinned.safetensors"));
        Assert.Contains($"main is now {TestHub.Commit}", LineOf(output, "unpinned.safetensors"));
        Assert.Contains("2 same.", output);
    }

    [Fact]
    public async Task A_tensor_copy_is_not_asked_for_again_its_file_is_asked_as_itself()
    {
        var vae = Serve(TestHub.Commit, "vae.safetensors", 9);
        var encoder = Serve(TestHub.Commit, "te.safetensors", 7);
        var spiece = Serve(TestHub.Commit, "spiece.model", 8);
        var manifest = WriteManifest(
            Entry("vae.safetensors", "Vae", vae.Content.Length, vae.Sha256),
            // Listed before its file, with the tensor's size: asked as a copy, it would read as a moved te.safetensors.
            Entry("spiece.model", "Tokenizer", spiece.Content.Length, spiece.Sha256, alternatives:
                [new { path = "te.safetensors", tensor = "spiece_model", source = new { repo = "org/repo", revision = TestHub.Commit, path = "split/te.safetensors" },
                       size = (long?)4, sha256 = (string?)null, license = (string?)null }]),
            Entry("te.safetensors", "TextEncoder", encoder.Content.Length, encoder.Sha256));

        var (exit, output) = await RunAsync("models", "check", "--remote", "--manifest", manifest, "--hub-url", Hub.BaseUrl);

        Assert.True(exit == 0, output);
        Assert.Contains("3 same.", output);
        Assert.Equal(3, Hub.Requests.Count);
    }

    [Fact]
    public async Task Check_without_remote_says_what_it_does_and_exits_2()
    {
        var (exit, _) = await RunAsync("models", "check");
        Assert.Equal(2, exit);
    }
}

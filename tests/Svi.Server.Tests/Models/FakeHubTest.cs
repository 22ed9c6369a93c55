namespace Svi.Server.Tests.Models;

/// <summary>
/// What the hub tests share: a fake hub on 127.0.0.1 (<see cref="TestHub"/>) and a scratch folder per test, files served
/// from <c>org/repo</c> under <c>split/</c>, and manifests of such files.
/// </summary>
public abstract class FakeHubTest(string folderPrefix) : IAsyncLifetime
{
    protected TestHub Hub { get; private set; } = null!;
    protected string Folder { get; } = Directory.CreateTempSubdirectory(folderPrefix).FullName;

    public async Task InitializeAsync() => Hub = await TestHub.StartAsync();

    public async Task DisposeAsync()
    {
        await Hub.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }

    /// <summary>Serves <paramref name="length"/> random bytes as <c>split/</c><paramref name="path"/> at <paramref name="revision"/>.</summary>
    protected TestHub.Served Serve(string path, int length, int seed, string revision = TestHub.Commit, bool sha256Etag = false)
    {
        var served = new TestHub.Served { Content = TestHub.RandomBytes(length, seed), SendSha256Etag = sha256Etag };
        Hub.Files[$"org/repo/resolve/{revision}/split/{path}"] = served;
        return served;
    }

    /// <summary>A manifest entry for a served file (null <paramref name="revision"/>: unpinned, on main).</summary>
    protected static object Entry(string path, string role, long? size, string? sha256, string? revision = TestHub.Commit,
        bool optional = false, object[]? alternatives = null) => new
        {
            path,
            role,
            variants = new[] { "fp8" },
            format = "safetensors",
            architecture = "lora-wan-a14b",
            source = new { repo = "org/repo", revision, path = $"split/{path}" },
            size,
            sha256,
            license = "apache-2.0",
            optional,
            alternatives,
        };

    /// <summary>A manifest (one variant, fp8) of <paramref name="files"/>, as JSON.</summary>
    protected static string ManifestJson(params object[] files) => JsonSerializer.Serialize(new
    {
        schema = 1,
        model = "test",
        description = "test",
        variants = new Dictionary<string, object> { ["fp8"] = new { description = "t", weightDType = "fp8_e4m3fn_scaled" } },
        preference = new[] { "fp8" },
        modes = new Dictionary<string, string[]> { ["i2v"] = ["Vae"] },
        frameRates = new Dictionary<string, string[]> { ["32"] = ["Interpolation"] },
        files,
    });
}

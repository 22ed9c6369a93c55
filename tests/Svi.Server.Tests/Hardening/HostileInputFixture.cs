using System.Net;
using Svi.Server.Tests.Support;
using static Svi.Server.Tests.Support.Http;

namespace Svi.Server.Tests.Hardening;

/// <summary>An API-only server with small limits, and a completed text-only video to remix and extend.</summary>
public sealed class HostileInputFixture : ServerFixture
{
    protected override bool WithWorker => false;
    protected override string[] ExtraConfig =>
    [
        "--Svi:MaxImageBytes=200000", "--Svi:MaxImagePixels=1000000", "--Svi:MaxJsonBodyBytes=300000",
        "--Svi:MaxVideoBytes=4000000", "--Svi:MaxVideoPixels=20000",
    ];

    private string? completed;

    /// <summary>The id of a completed video of the default (open) key.</summary>
    public async Task<string> CompletedAsync()
    {
        if (completed is not null) return completed;
        var (status, g) = await PostJsonAsync(Server.Client, "/v1/videos/generations", """{"prompt": "a source", "duration": 5}""");
        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = g.GetProperty("id").GetString()!;
        await Database.ScalarAsync<int>($"UPDATE generations SET status = 'completed', progress = 100, frames = 81 WHERE id = '{id}'");
        return completed = id;
    }

    /// <summary>The generation folders on disk.</summary>
    public string[] Folders()
    {
        var root = Path.Combine(DataDirectory, "generations");
        return Directory.Exists(root) ? [.. Directory.GetDirectories(root).Select(Path.GetFileName).Order()!] : [];
    }
}

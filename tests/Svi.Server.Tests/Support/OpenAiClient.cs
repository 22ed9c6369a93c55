using System.Globalization;

namespace Svi.Server.Tests.Support;

/// <summary>The official <c>openai</c> npm client (tests/Svi.Server.Tests/openai-client), driven through node scripts.</summary>
public static class OpenAiClient
{
    public static string Directory => Path.Combine(RepositoryRoot.Find(), "tests", "Svi.Server.Tests", "openai-client");

    /// <summary><c>client.videos.extend</c> of a finished video, polled to the end, its content written to <paramref name="mp4"/>.</summary>
    public static Task<JsonElement> ExtendAsync(Uri server, string sourceId, string prompt, double seconds, string mp4) =>
        RunAsync("extend.mjs", new Uri(server, "/v1").ToString(), "unused", sourceId, prompt, seconds.ToString(CultureInfo.InvariantCulture), mp4);

    /// <summary><c>client.webhooks.unwrap</c> of a delivery as received, and of the same delivery with its body tampered with.</summary>
    public static async Task<JsonElement> UnwrapWebhookAsync(string body, IReadOnlyDictionary<string, string> headers, string secret)
    {
        var file = Path.Combine(Path.GetTempPath(), $"svi-webhook-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new { body, headers, secret }));
        try { return await RunAsync("webhook.mjs", file); }
        finally { File.Delete(file); }
    }

    /// <summary>Runs one of the scripts beside package.json; it prints one JSON object.</summary>
    public static async Task<JsonElement> RunAsync(string script, params string[] args)
    {
        Assert.True(System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "openai")), $"run 'npm ci' in {Directory} first (./svi test does)");
        var info = new ProcessStartInfo("node") { WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(script);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var node = Process.Start(info)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        Assert.True(node.ExitCode == 0, $"node exited {node.ExitCode}\n{await stderr}\n{await stdout}");
        return JsonDocument.Parse(await stdout).RootElement.Clone();
    }
}

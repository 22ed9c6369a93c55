using System.Globalization;

namespace Svi.Server.Tests.Support;

/// <summary>The official <c>openai</c> npm client (tests/Svi.Server.Tests/openai-client), driven through node scripts.</summary>
public static class OpenAiClient
{
    public static string Directory => Path.Combine(RepositoryRoot.Find(), "tests", "Svi.Server.Tests", "openai-client");

    /// <summary><c>client.videos.extend</c> of a finished video, polled to the end, its content written to <paramref name="mp4"/>.</summary>
    public static async Task<JsonElement> ExtendAsync(Uri server, string sourceId, string prompt, double seconds, string mp4)
    {
        Assert.True(System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "openai")), $"run 'npm ci' in {Directory} first (./svi test does)");
        var info = new ProcessStartInfo("node") { WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "extend.mjs", new Uri(server, "/v1").ToString(), "unused", sourceId, prompt, seconds.ToString(CultureInfo.InvariantCulture), mp4 })
            info.ArgumentList.Add(arg);
        using var node = Process.Start(info)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        Assert.True(node.ExitCode == 0, $"node exited {node.ExitCode}\n{await stderr}\n{await stdout}");
        return JsonDocument.Parse(await stdout).RootElement.Clone();
    }
}

namespace Svi.Server.Tests.Jobs;

public sealed class KeyedWorkerFixture : ServerFixture
{
    public const string Key = "sk-openai-client-test";
    protected override string[] ExtraConfig => [$"--Svi:ApiKeys:0={Key}"];
}

/// <summary>The official <c>openai</c> npm package against the server: create, poll, list, download, delete, errors.</summary>
[Collection(ServerCollection.Name)]
public sealed class OpenAiClientTests(KeyedWorkerFixture fixture) : IClassFixture<KeyedWorkerFixture>
{
    private static string ClientDirectory([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "openai-client"));

    [Fact]
    public async Task Official_openai_npm_client_creates_polls_lists_downloads_and_deletes_videos()
    {
        var dir = ClientDirectory();
        Assert.True(Directory.Exists(Path.Combine(dir, "node_modules", "openai")),
            $"run 'npm ci' in {dir} first (./svi test does)");
        var image = Path.Combine(fixture.DataDirectory, "flag.png");
        await File.WriteAllBytesAsync(image, ImageFixtures.Encode("png"));

        var info = new ProcessStartInfo("node") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "client.mjs", new Uri(fixture.Server.BaseAddress, "/v1").ToString(), KeyedWorkerFixture.Key, image })
            info.ArgumentList.Add(arg);
        using var node = Process.Start(info)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await node.WaitForExitAsync(timeout.Token);
        Assert.True(node.ExitCode == 0, $"node exited {node.ExitCode}\n{await stderr}\n{await stdout}");
        var r = JsonDocument.Parse(await stdout).RootElement;

        var created = r.GetProperty("created");
        Assert.Equal("video", created.GetProperty("object").GetString());
        Assert.Equal("queued", created.GetProperty("status").GetString());
        Assert.Equal("6", created.GetProperty("seconds").GetString());
        Assert.Equal("1280x720", created.GetProperty("size").GetString());
        Assert.Equal("svi-2-0-pro", created.GetProperty("model").GetString());
        Assert.Equal("completed", r.GetProperty("seen").EnumerateArray().Last().GetString());
        Assert.Equal("completed", r.GetProperty("final").GetProperty("status").GetString());
        Assert.Equal(100, r.GetProperty("final").GetProperty("progress").GetDouble());

        var listed = r.GetProperty("listed").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal([created.GetProperty("id").GetString(), r.GetProperty("textOnly").GetString()], listed);

        Assert.Equal("ftyp", r.GetProperty("content").GetProperty("box").GetString());
        Assert.True(r.GetProperty("thumbnail").GetProperty("soi").GetBoolean());

        Assert.Equal(404, r.GetProperty("notFound").GetProperty("status").GetInt32());
        Assert.Equal("NotFoundError", r.GetProperty("notFound").GetProperty("type").GetString());
        Assert.Equal("BadRequestError", r.GetProperty("badSize").GetProperty("type").GetString());
        Assert.Equal("size", r.GetProperty("badSize").GetProperty("param").GetString());
        Assert.Equal("AuthenticationError", r.GetProperty("badKey").GetProperty("type").GetString());
        Assert.True(r.GetProperty("deleted").GetProperty("deleted").GetBoolean());
        Assert.Equal("video.deleted", r.GetProperty("deleted").GetProperty("object").GetString());
        Assert.Equal(404, r.GetProperty("afterDelete").GetProperty("status").GetInt32());
    }
}

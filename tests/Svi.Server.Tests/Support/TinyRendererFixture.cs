namespace Svi.Server.Tests.Support;

/// <summary>A server with a worker running <see cref="TinySviRenderer"/>, behind two API keys.</summary>
public class TinyRendererFixture : IAsyncLifetime
{
    public const string Key = "sk-continuation-test-a", OtherKey = "sk-continuation-test-b";
    public TestDatabase Database { get; private set; } = null!;
    public SviTestServer Server { get; private set; } = null!;
    public string DataDirectory { get; } = SviTestServer.NewDataDirectory();
    public HttpClient Client => Server.Client;

    /// <summary>Settings beyond the API keys, as command-line arguments.</summary>
    protected virtual IEnumerable<string> Configuration => [];

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Server = await SviTestServer.StartAsync(Database, DataDirectory, withWorker: true, renderer: new TinySviRenderer(),
            extraConfig: [$"--Svi:ApiKeys:0={Key}", $"--Svi:ApiKeys:1={OtherKey}", .. Configuration]);
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        await Database.DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }

    /// <summary>Posts a native create (<paramref name="body"/> as JSON) with <see cref="Key"/>; asserts it was accepted and returns it.</summary>
    public async Task<JsonElement> SubmitAsync(object body)
    {
        var (status, created) = await PostJsonAsync(Client, "/v1/videos/generations", JsonSerializer.Serialize(body), Key);
        Assert.True(status == HttpStatusCode.Accepted, created.ToString());
        return created;
    }

    /// <summary>Waits for the generation to end (generous: one worker renders every test's jobs in turn on a shared CPU) and asserts it completed.</summary>
    public async Task<JsonElement> CompletedAsync(string id)
    {
        var done = await Server.WaitForAsync(id, SviTestServer.IsTerminal, 300, Key);
        Assert.True(done.GetProperty("status").GetString() == "completed", done.ToString());
        return done;
    }

    /// <summary>Downloads the MP4 at <paramref name="contentPath"/> (either surface's <c>…/content</c>) into the data directory; returns its path.</summary>
    public async Task<string> DownloadAsync(string contentPath, string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, contentPath);
        request.Headers.Authorization = new("Bearer", Key);
        using var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var path = Path.Combine(DataDirectory, $"{id}.mp4");
        await File.WriteAllBytesAsync(path, await response.Content.ReadAsByteArrayAsync());
        return path;
    }
}

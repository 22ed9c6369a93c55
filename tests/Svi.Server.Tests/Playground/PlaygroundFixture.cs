namespace Svi.Server.Tests.Playground;

/// <summary>
/// The real server behind API keys, with the ffmpeg test renderer at 150 ms a step (a 20 s video takes a few
/// seconds, long enough to watch it render), and one headless Chromium shared by the class's tests.
/// </summary>
public sealed class PlaygroundFixture : IAsyncLifetime
{
    public const string Key = "sk-playground-test-a", OtherKey = "sk-playground-test-b", PagingKey = "sk-playground-test-c";
    public TestDatabase Database { get; private set; } = null!;
    public SviTestServer Server { get; private set; } = null!;
    public HeadlessChromium Browser { get; private set; } = null!;
    public string DataDirectory { get; } = SviTestServer.NewDataDirectory();

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync();
        Server = await SviTestServer.StartAsync(Database, DataDirectory, withWorker: true,
            renderer: new FfmpegTestRenderer(TimeSpan.FromMilliseconds(150)),
            extraConfig: [$"--Svi:ApiKeys:0={Key}", $"--Svi:ApiKeys:1={OtherKey}", $"--Svi:ApiKeys:2={PagingKey}"]);
        Browser = new HeadlessChromium();
    }

    public async Task DisposeAsync()
    {
        Browser?.Dispose();
        await Server.DisposeAsync();
        await Database.DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}

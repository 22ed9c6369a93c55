using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Svi.Server.Tests.Support;

/// <summary>The real server (Kestrel on 127.0.0.1, a free port) over a test database, with the test renderer.</summary>
public sealed class SviTestServer : IAsyncDisposable
{
    public WebApplication App { get; }
    public HttpClient Client { get; }
    public Uri BaseAddress { get; }
    public string DataDirectory { get; }

    private SviTestServer(WebApplication app, Uri baseAddress, string dataDirectory)
    {
        App = app; BaseAddress = baseAddress; DataDirectory = dataDirectory;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public static string[] ConfigArgs(TestDatabase db, string dataDirectory, IEnumerable<string>? extra = null) =>
    [
        $"--ConnectionStrings:Svi={db.ConnectionString}",
        $"--Svi:DataDirectory={dataDirectory}",
        "--Svi:Jobs:ProgressIntervalSeconds=0.1",
        "--Svi:Jobs:ShutdownTimeoutSeconds=5",
        "--Serilog:MinimumLevel:Default=Warning",
        // Tests queue many jobs under one key; the quota tests set the cap they check.
        "--Svi:Quotas:MaxActiveJobsPerKey=0",
        .. extra ?? [],
    ];

    public static async Task<SviTestServer> StartAsync(TestDatabase db, string dataDirectory, bool withWorker = true,
        IVideoRenderer? renderer = null, IModelInventory? inventory = null, Action<IServiceCollection>? services = null,
        params string[] extraConfig)
    {
        var app = SviHost.BuildApi(["--urls", "http://127.0.0.1:0", .. ConfigArgs(db, dataDirectory, extraConfig)], withWorker, s =>
        {
            s.AddSingleton<IVideoRenderer>(renderer ?? new FfmpegTestRenderer(TimeSpan.FromMilliseconds(20)));
            s.AddSingleton<IModelInventory>(inventory ?? new FixedModelInventory());
            services?.Invoke(s);
        });
        await SviHost.StartAsync(app);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SviTestServer(app, new Uri(address), dataDirectory);
    }

    public static string NewDataDirectory() =>
        Directory.CreateTempSubdirectory("svi-server-test-").FullName;

    /// <summary>Polls a generation (native surface) until <paramref name="done"/> holds for it.</summary>
    public async Task<JsonElement> WaitForAsync(string id, Func<JsonElement, bool> done, double timeoutSeconds = 60, string? apiKey = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/videos/generations/{id}");
            if (apiKey is not null) request.Headers.Authorization = new("Bearer", apiKey);
            using var response = await Client.SendAsync(request);
            last = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (done(last)) return last;
            await Task.Delay(50);
        }
        throw new TimeoutException($"Generation {id} did not reach the expected state in {timeoutSeconds} s; last: {last}");
    }

    public static bool IsTerminal(JsonElement g) => g.GetProperty("status").GetString() is "completed" or "failed" or "cancelled";

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}

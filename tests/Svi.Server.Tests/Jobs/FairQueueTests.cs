namespace Svi.Server.Tests.Jobs;

/// <summary>One worker whose renders of the prompt <see cref="HeldRenderer.HeldPrompt"/> wait until the test lets them go.</summary>
public sealed class FairQueueFixture : ServerFixture
{
    public const string KeyA = "sk-fair-key-a", KeyB = "sk-fair-key-b";
    public HeldRenderer Renderer { get; } = new(new FfmpegTestRenderer(TimeSpan.FromMilliseconds(20)));
    protected override string[] ExtraConfig => [$"--Svi:ApiKeys:0={KeyA}", $"--Svi:ApiKeys:1={KeyB}"];
    protected override void Services(IServiceCollection services) => services.AddSingleton<IVideoRenderer>(Renderer);
}

/// <summary>Renders like the wrapped renderer, but a render of <see cref="HeldPrompt"/> first waits for <see cref="Release"/>.</summary>
public sealed class HeldRenderer(IVideoRenderer inner) : IVideoRenderer
{
    public const string HeldPrompt = "held until released";
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => released.TrySetResult();

    public async Task<RenderResult> RenderAsync(RenderJob job, IProgress<RenderProgress> progress, CancellationToken ct)
    {
        if (job.Spec.Prompts[0] == HeldPrompt) await released.Task.WaitAsync(ct);
        return await inner.RenderAsync(job, progress, ct);
    }
}

/// <summary>The <c>gpu</c> queue takes turns between keys: a key's backlog does not hold back another key's first job.</summary>
[Collection(ServerCollection.Name)]
public sealed class FairQueueTests(FairQueueFixture fixture) : IClassFixture<FairQueueFixture>
{
    private SviTestServer Server => fixture.Server;

    private async Task<string> CreateAsync(string key, string prompt)
    {
        var (status, body) = await PostJsonAsync(Server.Client, "/v1/videos/generations", $$"""{"prompt": "{{prompt}}", "duration": 5}""", key);
        Assert.Equal(HttpStatusCode.Accepted, status);
        return body.GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Another_keys_first_job_runs_next_though_a_key_with_a_backlog_asked_first()
    {
        // Key A's first job holds the one worker; A's backlog and then B's one job queue up behind it.
        var held = await CreateAsync(FairQueueFixture.KeyA, HeldRenderer.HeldPrompt);
        await Server.WaitForAsync(held, g => g.GetProperty("status").GetString() == "in_progress", apiKey: FairQueueFixture.KeyA);
        var backlog = new List<string>();
        for (int i = 0; i < 4; i++) backlog.Add(await CreateAsync(FairQueueFixture.KeyA, $"backlog {i}"));
        var other = await CreateAsync(FairQueueFixture.KeyB, "the other team's first job");

        fixture.Renderer.Release();
        await Server.WaitForAsync(other, SviTestServer.IsTerminal, apiKey: FairQueueFixture.KeyB);
        foreach (var id in backlog) await Server.WaitForAsync(id, SviTestServer.IsTerminal, apiKey: FairQueueFixture.KeyA);

        // Start order as the worker recorded it: the held job, B's job, then A's backlog in the order A asked.
        string[] all = [held, other, .. backlog];
        string ids = string.Join(",", all.Select(id => $"'{id}'"));
        Assert.Equal(string.Join(",", all),
            await fixture.Database.ScalarAsync<string>($"SELECT string_agg(id, ',' ORDER BY started_at) FROM generations WHERE id IN ({ids})"));
        // Each ran under the job its own row names: job ids move with the turns, and no two generations share one.
        Assert.Equal(all.Length, await fixture.Database.ScalarAsync<long>($"SELECT count(DISTINCT job_id) FROM generations WHERE id IN ({ids})"));
    }
}

using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Svi.Server.Media;
using Svi.Server.Tests.Support;
using Xunit.Abstractions;
using static Svi.Server.Tests.Pipeline.RandomWeightsProcess;

namespace Svi.Server.Tests.Pipeline;

/// <summary>
/// The product through HTTP on the real processes (<c>svi serve --no-worker --weights random</c> and <c>svi worker
/// --weights random</c>, the tiny architecture): extensions equal uninterrupted runs, a SIGKILLed worker resumes to a
/// byte-identical MP4, a cancel stops within one step, and status polling is measured while a job renders.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed partial class RandomWeightsProcessTests(RandomWeightsProcess server, ITestOutputHelper output) : IClassFixture<RandomWeightsProcess>
{
    [GeneratedRegex(@"Resuming after clip (\d+) of 3")]
    private static partial Regex Resuming();

    [GeneratedRegex(@"Cancelled between steps: (\d+) step")]
    private static partial Regex Cancelled();

    [Fact]
    public async Task Three_clips_extended_by_two_give_the_frames_of_a_five_clip_run_through_openai_and_native_extend()
    {
        var source = await server.UninterruptedSourceAsync();
        // The 5-clip run: the source's prompts, then the extension's prompt for clips 4 and 5 (the last prompt repeats).
        var five = await server.RenderAsync("five", Prompts, clips: 5);

        var (status, accepted) = await Http.PostJsonAsync(server.Client, $"/v1/videos/generations/{source.Id}/extend",
            JsonSerializer.Serialize(new { prompt = Prompts[3], duration = Seconds(5) - Seconds(3) }));
        Assert.True(status == HttpStatusCode.Accepted, $"extend answered {(int)status}: {accepted}");
        var openAiMp4 = Path.Combine(server.DataDirectory, "openai-extended.mp4");
        var openAi = await RunOpenAiExtendAsync(source.Id, Prompts[3], Seconds(5) - Seconds(3), openAiMp4);
        Assert.Equal("completed", openAi.GetProperty("status").GetString());
        Assert.Equal("random", openAi.GetProperty("weights").GetString());
        var native = await server.DownloadAsync("native-extended",
            await server.WaitAsync(accepted.GetProperty("id").GetString()!, IsTerminal));

        var expected = await DecodedFrames.Md5Async(five.Mp4);
        Assert.Equal(Frames(5), expected.Count);
        Assert.Equal(expected, await DecodedFrames.Md5Async(native.Mp4));
        Assert.Equal(expected, await DecodedFrames.Md5Async(openAiMp4));
        // The first three clips are the source's own frames.
        Assert.Equal(await DecodedFrames.Md5Async(source.Mp4), expected.Take(Frames(3)));
    }

    [Fact]
    public async Task A_worker_killed_with_sigkill_mid_job_resumes_after_its_last_finished_clip_to_a_byte_identical_mp4()
    {
        var uninterrupted = await server.UninterruptedSourceAsync();
        string finishedFirstClip = "Clip 0 of 3 finished";
        int before = Occurrences(server.Worker.Output, finishedFirstClip);
        var id = await server.SubmitAsync(Prompts[..3], clips: 3);
        await server.WaitAsync(id, g => Occurrences(server.Worker.Output, finishedFirstClip) > before || IsTerminal(g));
        var atKill = await server.WaitAsync(id, _ => true);
        Assert.Equal("in_progress", atKill.GetProperty("status").GetString());

        server.KillAndRestartWorker();
        var done = await server.WaitAsync(id, IsTerminal);
        var resumed = await server.DownloadAsync("resumed", done);

        var resuming = Resuming().Match(server.Worker.Output);
        Assert.True(resuming.Success, $"the restarted worker did not resume from a checkpoint:\n{server.Worker.Output}");
        Assert.Equal(await File.ReadAllBytesAsync(uninterrupted.Mp4), await File.ReadAllBytesAsync(resumed.Mp4));
    }

    [Fact]
    public async Task Cancel_mid_clip_stops_within_one_step_and_leaves_a_playable_partial_mp4()
    {
        string finishedFirstClip = "Clip 0 of 3 finished";
        int before = Occurrences(server.Worker.Output, finishedFirstClip);
        var id = await server.SubmitAsync(Prompts[..3], clips: 3, seed: Seed + 1);
        await server.WaitAsync(id, g => Occurrences(server.Worker.Output, finishedFirstClip) > before || IsTerminal(g));

        var (status, cancelling) = await Http.PostJsonAsync(server.Client, $"/v1/videos/generations/{id}/cancel", "{}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotEqual("completed", cancelling.GetProperty("status").GetString());
        var done = await server.WaitAsync(id, IsTerminal);
        Assert.Equal("cancelled", done.GetProperty("status").GetString());

        var cancelled = Cancelled().Matches(server.Worker.Output);
        Assert.True(cancelled.Count > 0, $"no cancel in the worker's log:\n{server.Worker.Output}");
        // The step in flight when the worker saw the request may finish; no later one starts.
        Assert.InRange(int.Parse(cancelled[^1].Groups[1].Value), 0, 1);

        var info = await new FfmpegVideoMedia().ProbeAsync(server.PartialVideo(id), CancellationToken.None);
        Assert.Equal((832, 480, Frames(1)), (info.Width, info.Height, info.Frames));
        Assert.Equal(16.0, info.FrameRate, 6);
    }

    /// <summary>
    /// A benchmark, not a timed test: GET status at a fixed 100 requests per second (sent on schedule, not after the
    /// previous answer) while a job renders, with p50 and p99 printed (recorded in bench/RESULTS.md). It asserts only
    /// that every request was answered and that the render was running throughout.
    /// </summary>
    [Fact]
    public async Task Status_polling_at_100_per_second_during_a_render_is_measured()
    {
        // Five clips so that the render outlasts the polling on any machine; it is cancelled afterwards.
        var id = await server.SubmitAsync(Prompts, clips: 5, seed: Seed + 2);
        await server.WaitAsync(id, g => g.GetProperty("status").GetString() != "queued");
        const int rate = 100, seconds = 20;
        var latencies = new double[rate * seconds];
        var statuses = new HttpStatusCode[latencies.Length];
        var clock = Stopwatch.StartNew();
        var requests = new List<Task>();
        for (int i = 0; i < latencies.Length; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
            int n = i;
            requests.Add(Task.Run(async () =>
            {
                var sent = Stopwatch.GetTimestamp();
                using var response = await server.Client.GetAsync($"/v1/videos/generations/{id}");
                await response.Content.ReadAsByteArrayAsync();
                latencies[n] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                statuses[n] = response.StatusCode;
            }));
        }
        await Task.WhenAll(requests);
        var (_, after) = await Http.GetAsync(server.Client, $"/v1/videos/generations/{id}");
        await Http.PostJsonAsync(server.Client, $"/v1/videos/generations/{id}/cancel", "{}");
        await server.WaitAsync(id, IsTerminal);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.True(after.GetProperty("status").GetString() == "in_progress",
            $"the render ended before the {seconds} s of polling did, so part of it measured an idle server: {after}");
        Array.Sort(latencies);
        double P(double q) => latencies[(int)Math.Ceiling(q * latencies.Length) - 1];
        output.WriteLine($"status polling at {rate} req/s for {seconds} s during a tiny random-weight render (832x480): " +
                         $"{latencies.Length} requests, sent over {clock.Elapsed.TotalSeconds:F1} s; p50 {P(0.50):F1} ms, p99 {P(0.99):F1} ms, max {latencies[^1]:F1} ms");
    }

    static int Occurrences(string text, string what) => Regex.Matches(text, Regex.Escape(what)).Count;

    async Task<JsonElement> RunOpenAiExtendAsync(string sourceId, string prompt, double seconds, string mp4)
    {
        var dir = Path.Combine(RepositoryRoot.Find(), "tests", "Svi.Server.Tests", "openai-client");
        Assert.True(Directory.Exists(Path.Combine(dir, "node_modules", "openai")), $"run 'npm ci' in {dir} first (./svi test does)");
        var info = new ProcessStartInfo("node") { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "extend.mjs", new Uri(server.Client.BaseAddress!, "/v1").ToString(), "unused", sourceId, prompt,
                     seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), mp4 })
            info.ArgumentList.Add(arg);
        using var node = Process.Start(info)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        await node.WaitForExitAsync();
        Assert.True(node.ExitCode == 0, $"node exited {node.ExitCode}\n{await stderr}\n{await stdout}\n{server.Worker.Output}");
        return JsonDocument.Parse(await stdout).RootElement.Clone();
    }
}

using System.Diagnostics;
using System.Net;
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
    [GeneratedRegex(@"Resuming after clip (\d+) of (\d+)")]
    private static partial Regex Resuming();

    [GeneratedRegex(@"Cancelled between steps: (\d+) step")]
    private static partial Regex Cancelled();

    [Fact]
    public async Task Three_clips_extended_by_two_give_the_frames_of_a_five_clip_run_through_openai_and_native_extend()
    {
        var runs = await server.ExtensionsAsync();
        Assert.Equal("completed", runs.OpenAi.GetProperty("status").GetString());
        Assert.Equal("random", runs.OpenAi.GetProperty("weights").GetString());

        var expected = await DecodedFrames.Md5Async(runs.Uninterrupted.Mp4);
        Assert.Equal(Frames(TotalClips), expected.Count);
        Assert.Equal(expected, await DecodedFrames.Md5Async(runs.Native.Mp4));
        Assert.Equal(expected, await DecodedFrames.Md5Async(runs.OpenAiMp4));
        // The source's clips are the first frames of the uninterrupted run too.
        Assert.Equal(await DecodedFrames.Md5Async(runs.Source.Mp4), expected.Take(Frames(SourceClips)));
    }

    [Fact]
    public async Task A_worker_killed_with_sigkill_mid_job_resumes_after_its_last_finished_clip_to_a_byte_identical_mp4()
    {
        // The native extension's worker was SIGKILLed once its first new clip had finished; the OpenAI extension of
        // the same source rendered the same video without interruption.
        var runs = await server.ExtensionsAsync();
        var resuming = Resuming().Matches(runs.RestartedWorkerLog);
        Assert.True(resuming.Count > 0, $"the restarted worker did not resume from a checkpoint:\n{runs.RestartedWorkerLog}");
        Assert.Equal((runs.FinishedBeforeKill, TotalClips), (int.Parse(resuming[0].Groups[1].Value), int.Parse(resuming[0].Groups[2].Value)));
        Assert.Equal(await File.ReadAllBytesAsync(runs.OpenAiMp4), await File.ReadAllBytesAsync(runs.Native.Mp4));
    }

    [Fact]
    public async Task Cancel_mid_clip_stops_within_one_step_and_leaves_a_playable_partial_mp4()
    {
        string finishedFirstClip = "Clip 0 of 2 finished";
        int before = Occurrences(server.Worker.Output, finishedFirstClip);
        var id = await server.SubmitAsync(Prompts, clips: 2, seed: Seed + 1);
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
}

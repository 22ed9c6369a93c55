using System.Net.Http.Headers;

namespace Svi.Server.Tests.Hardening;

/// <summary>
/// Uploaded videos are probed before anything is decoded, ffmpeg reads the uploaded file and nothing else, dies with
/// the request, and no answer shows a server path.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class UploadedVideoLimitTests(HostileInputFixture fixture) : IClassFixture<HostileInputFixture>, IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("svi-video-limits-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    private async Task<string> MakeMp4Async(string name, string size, double seconds, bool faststart = false)
    {
        var path = Path.Combine(scratch, name);
        await FfmpegTestRenderer.RunFfmpegAsync($"-y -v error -f lavfi -i testsrc=size={size}:rate=16 -t {seconds} -pix_fmt yuv420p " +
            $"-c:v libx264 -preset ultrafast {(faststart ? "-movflags +faststart" : "")} \"{path}\"", CancellationToken.None);
        return path;
    }

    private async Task<(HttpStatusCode, JsonElement)> ExtendUploadAsync(byte[] video, string fileName)
    {
        var file = new ByteArrayContent(video);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var form = new MultipartFormDataContent
        {
            { new StringContent("it goes on"), "prompt" }, { new StringContent("4"), "seconds" }, { file, "video", fileName },
        };
        return await SendAsync(fixture.Server.Client, HttpMethod.Post, "/v1/videos/extensions", form);
    }

    private async Task<JsonElement> AssertRefusedAsync(byte[] video, string fileName, HttpStatusCode status, string code, params string[] message)
    {
        var folders = fixture.Folders();
        var error = AssertError(await ExtendUploadAsync(video, fileName), status, "video", message);
        Assert.Equal(code, error.GetProperty("code").GetString());
        var text = error.GetProperty("message").GetString()!;
        Assert.DoesNotContain(fixture.DataDirectory, text);
        Assert.DoesNotContain(scratch, text);
        Assert.DoesNotContain("/tmp", text);
        Assert.Equal(folders, fixture.Folders());
        return error;
    }

    [Fact]
    public async Task Hls_playlist_naming_a_local_file_is_refused_without_reading_it()
    {
        var local = await MakeMp4Async("secret.mp4", "64x48", 2);
        var playlist = $"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n{local}\n#EXTINF:2.0,\nfile://{local}\n#EXT-X-ENDLIST\n";
        await AssertRefusedAsync(System.Text.Encoding.ASCII.GetBytes(playlist), "clip.m3u8", HttpStatusCode.BadRequest, "invalid_video", "cannot be read");
    }

    [Fact]
    public async Task Concat_script_naming_a_local_file_is_refused()
    {
        var local = await MakeMp4Async("other.mp4", "64x48", 2);
        var script = $"ffconcat version 1.0\nfile '{local}'\n";
        await AssertRefusedAsync(System.Text.Encoding.ASCII.GetBytes(script), "clip.mp4", HttpStatusCode.BadRequest, "invalid_video", "cannot be read");
    }

    [Fact]
    public async Task Video_longer_than_the_limit_is_refused_from_its_header_before_decoding()
    {
        // 130 s declared in the moov box at the front; the frames after the first few KB are cut off. Decoding would
        // find only a few frames, so "too long" can only come from the header.
        var mp4 = await File.ReadAllBytesAsync(await MakeMp4Async("long.mp4", "16x16", 130, faststart: true));
        await AssertRefusedAsync(mp4[..Math.Min(mp4.Length, 24_000)], "long.mp4", HttpStatusCode.BadRequest, "video_too_long", "121.5 s");
    }

    [Fact]
    public async Task Video_with_frames_over_the_pixel_limit_is_413_from_its_header() =>
        await AssertRefusedAsync(await File.ReadAllBytesAsync(await MakeMp4Async("wide.mp4", "320x240", 1)), "wide.mp4",
            HttpStatusCode.RequestEntityTooLarge, "video_too_large", "320x240", "Svi:MaxVideoPixels");

    [Fact]
    public async Task Corrupt_video_is_400_and_the_message_names_no_server_path()
    {
        var mp4 = await File.ReadAllBytesAsync(await MakeMp4Async("ok.mp4", "64x48", 1));
        for (int i = 200; i < mp4.Length; i += 7) mp4[i] ^= 0x5A;
        await AssertRefusedAsync(mp4[..(mp4.Length / 2)], "corrupt.mp4", HttpStatusCode.BadRequest, "invalid_video", "cannot be read");
    }

    [Fact]
    public async Task Cancelling_a_decode_kills_its_ffmpeg()
    {
        // A FIFO with no writer: ffmpeg blocks on it forever unless it is killed.
        var fifo = Path.Combine(scratch, "stuck.mp4");
        using (var mkfifo = Process.Start("mkfifo", [fifo])) await mkfifo.WaitForExitAsync();
        using var cancel = new CancellationTokenSource();
        var decode = new FfmpegVideoMedia().CountUploadFramesAsync(fifo, cancel.Token);
        int pid = await PollAsync(() => FfmpegReading(scratch), found => found != 0, "ffmpeg to start on the FIFO");
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => decode);
        await PollAsync(() => Process.GetProcesses().Any(p => p.Id == pid) && !IsZombie(pid) ? 1 : 0, alive => alive == 0, "ffmpeg to be gone");
    }

    // The ffmpeg whose working directory is the folder (FfmpegProcess runs it from the input's folder).
    private static int FfmpegReading(string folder)
    {
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "comm")).Trim() == "ffmpeg"
                    && new DirectoryInfo(Path.Combine(dir, "cwd")).ResolveLinkTarget(false)?.FullName == folder)
                    return pid;
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return 0;
    }

    private static bool IsZombie(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1].StartsWith('Z'); }
        catch (IOException) { return false; }
    }

    private static async Task<T> PollAsync<T>(Func<T> read, Func<T, bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var value = read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"waited 15 s for {what}");
            await Task.Delay(50);
        }
    }
}

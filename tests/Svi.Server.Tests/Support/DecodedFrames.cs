namespace Svi.Server.Tests.Support;

/// <summary>The MD5 of every decoded frame of a video (ffmpeg's framemd5 muxer): equal lists mean equal pictures.</summary>
public static class DecodedFrames
{
    public static async Task<IReadOnlyList<string>> Md5Async(string video)
    {
        var info = new ProcessStartInfo("ffmpeg") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-v", "error", "-i", video, "-map", "0:v:0", "-pix_fmt", "rgb24", "-f", "framemd5", "-" })
            info.ArgumentList.Add(arg);
        using var ffmpeg = Process.Start(info)!;
        var stdout = ffmpeg.StandardOutput.ReadToEndAsync();
        var stderr = ffmpeg.StandardError.ReadToEndAsync();
        await ffmpeg.WaitForExitAsync();
        if (ffmpeg.ExitCode != 0) throw new InvalidOperationException($"ffmpeg could not decode {video}: {await stderr}");
        // Lines: "stream, dts, pts, duration, size, md5"; comments start with '#'.
        return [.. (await stdout).Split('\n').Where(l => l.Length > 0 && l[0] != '#').Select(l => l.Split(',')[^1].Trim())];
    }
}

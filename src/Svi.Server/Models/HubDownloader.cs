using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Svi.Server.Models;

/// <summary>
/// Downloads one manifest file: into {file}.part, resuming with a Range request after a cut or a stalled connection,
/// hashing as it goes, then checks size and sha256 and renames the .part into place (atomic on one filesystem).
/// </summary>
public sealed class HubDownloader(HttpClient http, HubOptions options)
{
    const int MaxRedirects = 8;

    /// <summary>An HttpClient for the hub: no overall timeout (idle timeouts apply per read), redirects followed by us.</summary>
    public static HttpClient CreateClient(HubOptions options) => new(new SocketsHttpHandler
    {
        ConnectTimeout = options.ConnectTimeout,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
    })
    { Timeout = Timeout.InfiniteTimeSpan };

    public async Task<DownloadOutcome> DownloadAsync(ManifestFile file, string destination, DownloadProgress progress, CancellationToken ct)
    {
        var uri = options.FileUri(file.Source);
        string part = destination + ".part";
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        long? expectedSize = file.Size;
        string? expectedSha = file.Sha256;
        string checksumSource = expectedSha is null ? "none" : "manifest";
        if (expectedSize is { } limit && File.Exists(part) && new FileInfo(part).Length > limit) File.Delete(part);

        using var hash = new RunningHash();
        bool counted = false;
        progress.FileStarted();
        try
        {
            for (int attempt = 1; ; attempt++)
            {
                long have = File.Exists(part) ? new FileInfo(part).Length : 0;
                await hash.CatchUpAsync(part, have, ct);
                try
                {
                    using var response = await SendAsync(uri, have, ct);
                    if (response.StatusCode == HttpStatusCode.NotFound) throw new HubFileNotFoundException(file.Path, uri);
                    if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                        throw new HubAccessDeniedException(file.Path, uri, (int)response.StatusCode);
                    if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable && have > 0 &&
                        (expectedSize is null || have == expectedSize))
                        break; // the .part already holds the whole file
                    response.EnsureSuccessStatusCode();

                    long? hubSize = LinkedSize(response) ?? response.Content.Headers.ContentRange?.Length ??
                                    (response.StatusCode == HttpStatusCode.OK ? response.Content.Headers.ContentLength : null);
                    if (expectedSize is { } m && hubSize is { } h && m != h)
                        throw new ChecksumMismatchException(file.Path, "size (manifest vs hub)", m.ToString(), h.ToString());
                    expectedSize ??= hubSize;
                    if (expectedSha is null && LinkedSha256(response) is { } hubSha)
                    {
                        expectedSha = hubSha;
                        checksumSource = "hub";
                    }
                    if (!counted && expectedSize is { } total)
                    {
                        progress.AddExpected(total);
                        progress.AddResumed(have);
                        counted = true;
                    }
                    bool resumes = response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.From == have;
                    if (have > 0 && !resumes)
                    {
                        // The server ignored our Range (or answered another one): start over from byte 0.
                        progress.Discard(counted ? have : 0);
                        File.Delete(part);
                        hash.Reset();
                        have = 0;
                    }
                    await CopyBodyAsync(response, part, hash, progress, ct);
                    if (expectedSize is { } size && hash.Bytes < size)
                        throw new IOException($"the connection closed after {hash.Bytes} of {size} bytes");
                    break;
                }
                catch (Exception e) when (IsTransient(e) && !ct.IsCancellationRequested)
                {
                    if (attempt >= options.MaxAttempts)
                        throw new DownloadFailedException(file.Path,
                            $"gave up after {attempt} attempts ({Describe(e)}); run the pull again to resume from the .part file", e);
                    await Task.Delay(options.RetryDelay * attempt, ct);
                }
            }

            long length = new FileInfo(part).Length;
            await hash.CatchUpAsync(part, length, ct);
            string sha = hash.Finish();
            if (expectedSize is { } expected && length != expected) Reject(part, progress, length, file.Path, "size", expected.ToString(), length.ToString());
            if (expectedSha is not null && !string.Equals(sha, expectedSha, StringComparison.OrdinalIgnoreCase))
                Reject(part, progress, length, file.Path, $"sha256 ({checksumSource})", expectedSha, sha);
            File.Move(part, destination, overwrite: true);
            return new DownloadOutcome(file.Path, length, sha, checksumSource);
        }
        finally
        {
            progress.FileEnded();
        }
    }

    static void Reject(string part, DownloadProgress progress, long length, string path, string what, string expected, string actual)
    {
        File.Delete(part);
        progress.Discard(length);
        throw new ChecksumMismatchException(path, what, expected, actual);
    }

    /// <summary>
    /// The hub's headers for a file without its body (a HEAD request, redirects followed): status, X-Linked-Size,
    /// X-Linked-ETag (an LFS file's sha256), X-Repo-Commit.
    /// </summary>
    public Task<HttpResponseMessage> HeadAsync(Uri uri, CancellationToken ct) => SendAsync(uri, 0, ct, HttpMethod.Head);

    /// <summary>Follows redirects by hand so the hub's X-Linked-* headers survive and the token never leaves its host.</summary>
    async Task<HttpResponseMessage> SendAsync(Uri uri, long from, CancellationToken ct, HttpMethod? method = null)
    {
        var linked = new List<KeyValuePair<string, IEnumerable<string>>>();
        var current = uri;
        for (int hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(method ?? HttpMethod.Get, current);
            if (from > 0) request.Headers.Range = new RangeHeaderValue(from, null);
            if (Token() is { } token && current.Host == uri.Host)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var headersTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            headersTimeout.CancelAfter(options.IdleTimeout);
            var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headersTimeout.Token);
            int status = (int)response.StatusCode;
            if (status is >= 300 and < 400 && response.Headers.Location is { } location && hop < MaxRedirects)
            {
                linked.AddRange(response.Headers.Where(h => h.Key.StartsWith("X-Linked-", StringComparison.OrdinalIgnoreCase)
                                                            || h.Key.Equals("X-Repo-Commit", StringComparison.OrdinalIgnoreCase)));
                current = location.IsAbsoluteUri ? location : new Uri(current, location);
                response.Dispose();
                continue;
            }
            foreach (var (name, values) in linked) response.Headers.TryAddWithoutValidation(name, values);
            return response;
        }
    }

    string? Token() => options.Token is { Length: > 0 } t ? t
        : Environment.GetEnvironmentVariable(HubOptions.TokenEnvironmentVariable) is { Length: > 0 } e ? e : null;

    async Task CopyBodyAsync(HttpResponseMessage response, string part, RunningHash hash, DownloadProgress progress, CancellationToken ct)
    {
        var buffer = new byte[1 << 20];
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        await using var output = new FileStream(part, FileMode.Append, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
        while (true)
        {
            idle.CancelAfter(options.IdleTimeout);
            int n = await body.ReadAsync(buffer, idle.Token);
            if (n == 0) break;
            await output.WriteAsync(buffer.AsMemory(0, n), ct);
            hash.Append(buffer, n);
            progress.AddReceived(n);
        }
        await output.FlushAsync(ct);
    }

    internal static long? LinkedSize(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Linked-Size", out var values) && long.TryParse(values.FirstOrDefault(), out long size) ? size : null;

    /// <summary>The hub's ETag of an LFS file is its sha256; other ETags (git blob ids, hashes of small files) are ignored.</summary>
    internal static string? LinkedSha256(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("X-Linked-ETag", out var values)) return null;
        string tag = values.First().Trim().TrimStart('W', '/').Trim('"').ToLowerInvariant();
        return tag.Length == 64 && tag.All(Uri.IsHexDigit) ? tag : null;
    }

    static bool IsTransient(Exception e) => e switch
    {
        ModelDownloadException => false,
        HttpRequestException { StatusCode: { } code } => (int)code is >= 500 or 408 or 429,
        HttpRequestException or IOException or OperationCanceledException => true,
        _ => false,
    };

    static string Describe(Exception e) => e is OperationCanceledException ? "no data for the idle timeout" : e.Message;

    /// <summary>
    /// SHA-256 of the .part file's first <see cref="Bytes"/> bytes. Counted per appended chunk, so bytes written before
    /// a cut are hashed exactly once; bytes already on disk from an earlier run are read back once.
    /// </summary>
    sealed class RunningHash : IDisposable
    {
        IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        public long Bytes { get; private set; }

        public void Append(byte[] buffer, int count)
        {
            hash.AppendData(buffer, 0, count);
            Bytes += count;
        }

        public void Reset()
        {
            hash.Dispose();
            hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            Bytes = 0;
        }

        public async Task CatchUpAsync(string part, long have, CancellationToken ct)
        {
            if (Bytes > have) Reset(); // the file shrank under us: hash it again from the start
            if (Bytes == have) return;
            var buffer = new byte[1 << 20];
            await using var input = new FileStream(part, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            input.Seek(Bytes, SeekOrigin.Begin);
            while (Bytes < have)
            {
                int n = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, have - Bytes)), ct);
                if (n == 0) break;
                Append(buffer, n);
            }
        }

        public string Finish() => Convert.ToHexStringLower(hash.GetHashAndReset());

        public void Dispose() => hash.Dispose();
    }
}

using System.Net;
using Microsoft.Extensions.Options;
using Svi.Server.Contracts;
using Svi.Server.Hosting;
using Svi.Server.Network;

namespace Svi.Server.Images;

/// <summary>
/// Downloads an image URL for a request, through <see cref="GuardedConnect"/>: redirects are followed, but every
/// address dialled is checked.
/// </summary>
public sealed class ImageUrlFetcher : IDisposable
{
    private readonly HttpClient http;
    private readonly SviOptions settings;

    public ImageUrlFetcher(IOptions<SviOptions> options) : this(options, NetworkAddresses.IsPublic) { }

    /// <param name="isPublic">Which addresses count as public: <see cref="NetworkAddresses.IsPublic"/>, except in tests, which
    /// have no public server to redirect from and stand one in on a loopback address.</param>
    internal ImageUrlFetcher(IOptions<SviOptions> options, Func<IPAddress, bool> isPublic)
    {
        settings = options.Value;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 3,
            ConnectCallback = GuardedConnect.Callback(settings.ImageUrls.AllowPrivateNetworks, isPublic),
        };
        http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.ParseAdd("svi-server/1.0");
    }

    public async Task<byte[]> FetchAsync(ImageSource.Url source, CancellationToken ct)
    {
        string param = source.Param;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.ImageUrls.TimeoutSeconds));
        try
        {
            using var response = await http.GetAsync(source.Address, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
                throw ApiException.Invalid(param,
                    $"Fetching the image URL in '{param}' returned HTTP {(int)response.StatusCode}.", "image_url_unreachable");
            if (response.Content.Headers.ContentLength > settings.MaxImageBytes) throw ImageSource.TooLarge(param, settings.MaxImageBytes);
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, timeout.Token)) > 0)
            {
                if (buffer.Length + read > settings.MaxImageBytes) throw ImageSource.TooLarge(param, settings.MaxImageBytes);
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw ApiException.Invalid(param,
                $"Fetching the image URL in '{param}' took longer than {settings.ImageUrls.TimeoutSeconds} s.", "image_url_timeout");
        }
        catch (HttpRequestException e) when (GuardedConnect.FindBlocked(e) is { } blocked)
        {
            throw ApiException.Invalid(param,
                $"The image URL in '{param}' resolves to a private, loopback or link-local address ({blocked.Describe()}); " +
                "only public addresses are fetched " +
                "unless the operator sets Svi:ImageUrls:AllowPrivateNetworks.", "image_url_forbidden");
        }
        catch (HttpRequestException e)
        {
            throw ApiException.Invalid(param, $"The image URL in '{param}' could not be fetched: {e.Message}", "image_url_unreachable");
        }
    }

    public void Dispose() => http.Dispose();
}

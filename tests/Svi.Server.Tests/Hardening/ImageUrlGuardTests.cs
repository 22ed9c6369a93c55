using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Svi.Server.Contracts;
using Svi.Server.Images;
using Svi.Server.Network;

namespace Svi.Server.Tests.Hardening;

/// <summary>
/// An image URL never reaches an internal address: not by a redirect from a public server to a loopback or private one,
/// and not by a host name that resolves to one. A test machine has no public server, so one is stood in on 127.0.0.2,
/// which the fetcher under test counts as public; every other address is judged by the production rule.
/// </summary>
public sealed class ImageUrlGuardTests : IAsyncLifetime
{
    static readonly IPAddress StandInPublic = IPAddress.Parse("127.0.0.2");
    static readonly byte[] Png = ImageFixtures.Encode("png");

    readonly TinyHttpServer publicServer = new(StandInPublic);
    readonly TinyHttpServer internalServer = new(IPAddress.Loopback);

    static ImageUrlFetcher Fetcher(Func<IPAddress, bool> isPublic) => new(Options.Create(new SviOptions()), isPublic);

    static ImageUrlFetcher WithStandIn() => Fetcher(a => a.Equals(StandInPublic) || NetworkAddresses.IsPublic(a));

    static Task<byte[]> FetchAsync(ImageUrlFetcher fetcher, string url) =>
        fetcher.FetchAsync(new ImageSource.Url("image", new Uri(url)), CancellationToken.None);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        publicServer.Dispose();
        internalServer.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_stand_in_public_server_is_fetched_directly_and_through_a_redirect()
    {
        using var fetcher = WithStandIn();
        Assert.Equal(Png, await FetchAsync(fetcher, publicServer.Url("/image.png")));
        Assert.Equal(Png, await FetchAsync(fetcher, publicServer.Redirect(publicServer.Url("/image.png"))));
    }

    [Theory]
    [InlineData("http://127.0.0.1:{port}/image.png")]
    [InlineData("http://[::ffff:127.0.0.1]:{port}/image.png")]
    [InlineData("http://localhost:{port}/image.png")]
    [InlineData("http://10.20.30.40:{port}/image.png")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    public async Task A_redirect_to_a_loopback_or_private_address_is_refused(string target)
    {
        using var fetcher = WithStandIn();
        string internalUrl = target.Replace("{port}", internalServer.Port.ToString());
        var refused = await Assert.ThrowsAsync<ApiException>(() => FetchAsync(fetcher, publicServer.Redirect(internalUrl)));
        Assert.Equal("image_url_forbidden", refused.Code);
        Assert.Equal("image", refused.Param);
        Assert.Equal(1, publicServer.Requests);
        Assert.Equal(0, internalServer.Requests);
    }

    [Fact]
    public async Task A_host_name_that_resolves_to_loopback_is_refused_without_a_connection()
    {
        using var fetcher = new ImageUrlFetcher(Options.Create(new SviOptions()));
        var refused = await Assert.ThrowsAsync<ApiException>(() => FetchAsync(fetcher, $"http://localhost:{internalServer.Port}/image.png"));
        Assert.Equal("image_url_forbidden", refused.Code);
        Assert.Contains("localhost", refused.Message);
        Assert.Equal(0, internalServer.Requests);
    }

    /// <summary>
    /// HTTP/1.1 on one address: <c>/image.png</c> is a PNG, <c>/redirect?to=URL</c> a 302 to URL; it counts the requests it
    /// read.
    /// </summary>
    sealed class TinyHttpServer : IDisposable
    {
        readonly TcpListener listener;
        readonly CancellationTokenSource stop = new();
        int requests;

        public TinyHttpServer(IPAddress address)
        {
            listener = new TcpListener(address, 0);
            listener.Start();
            _ = ServeAsync();
        }

        public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;
        public int Requests => Volatile.Read(ref requests);
        public string Url(string path) => $"http://{((IPEndPoint)listener.LocalEndpoint).Address}:{Port}{path}";
        public string Redirect(string to) => Url("/redirect?to=" + Uri.EscapeDataString(to));

        async Task ServeAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await listener.AcceptTcpClientAsync(stop.Token); }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
                _ = AnswerAsync(client);
            }
        }

        async Task AnswerAsync(TcpClient client)
        {
            using var _ = client;
            var stream = client.GetStream();
            var head = new StringBuilder();
            var buffer = new byte[4096];
            while (!head.ToString().Contains("\r\n\r\n"))
            {
                int read = await stream.ReadAsync(buffer, stop.Token);
                if (read == 0) return;
                head.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            Interlocked.Increment(ref requests);
            string target = head.ToString().Split(' ')[1];
            byte[] body = [];
            string status = "404 Not Found", extra = "";
            if (target == "/image.png") (status, body, extra) = ("200 OK", Png, "Content-Type: image/png\r\n");
            else if (target.StartsWith("/redirect?to=")) (status, extra) = ("302 Found", $"Location: {Uri.UnescapeDataString(target["/redirect?to=".Length..])}\r\n");
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\n{extra}Content-Length: {body.Length}\r\nConnection: close\r\n\r\n"));
            await stream.WriteAsync(body);
        }

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
        }
    }
}

using System.Net;
using System.Net.Sockets;

namespace Svi.Server.Network;

/// <summary>
/// A <see cref="SocketsHttpHandler.ConnectCallback"/> that dials only addresses the policy allows. The check runs on the
/// addresses actually dialled, so neither a DNS answer that changes between check and use nor a redirect reaches an
/// internal service. Image URLs and webhook deliveries both go through it.
/// </summary>
public static class GuardedConnect
{
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Callback(bool allowPrivate) =>
        Callback(allowPrivate, NetworkAddresses.IsPublic);

    /// <param name="isPublic">Which addresses count as public: <see cref="NetworkAddresses.IsPublic"/>, except in tests, which
    /// have no public server and stand one in on a loopback address.</param>
    public static Func<SocketsHttpConnectionContext, CancellationToken, ValueTask<Stream>> Callback(bool allowPrivate, Func<IPAddress, bool> isPublic) =>
        async (context, ct) =>
        {
            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
            var usable = allowPrivate ? addresses : addresses.Where(isPublic).ToArray();
            if (usable.Length == 0) throw new BlockedAddressException(context.DnsEndPoint.Host, addresses);
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(usable, context.DnsEndPoint.Port, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch { socket.Dispose(); throw; }
        };

    /// <summary>The refusal inside an <see cref="HttpRequestException"/>, if the request failed because of the policy.</summary>
    public static BlockedAddressException? FindBlocked(Exception? e)
    {
        for (; e is not null; e = e.InnerException) if (e is BlockedAddressException b) return b;
        return null;
    }
}

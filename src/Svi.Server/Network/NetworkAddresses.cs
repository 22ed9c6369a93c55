using System.Net;
using System.Net.Sockets;

namespace Svi.Server.Network;

/// <summary>Which addresses an image URL or a webhook may reach: only the public internet unless private networks are allowed.</summary>
public static class NetworkAddresses
{
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return false;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0 || b[0] == 10 || b[0] == 127 || b[0] >= 224
                || (b[0] == 100 && b[1] >= 64 && b[1] < 128)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 172 && b[1] >= 16 && b[1] < 32)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)
                || (b[0] == 198 && (b[1] == 18 || b[1] == 19)));
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var b = address.GetAddressBytes();
            return !(address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast
                || (b[0] & 0xFE) == 0xFC                                   // fc00::/7 unique local
                || Prefix(b, 12)                                           // ::/96: unspecified, loopback, IPv4-compatible
                || Prefix(b, 12, 0x00, 0x64, 0xFF, 0x9B)                   // 64:ff9b::/96 NAT64 reaches any IPv4, metadata included
                || Prefix(b, 6, 0x00, 0x64, 0xFF, 0x9B, 0x00, 0x01)        // 64:ff9b:1::/48 local-use NAT64
                || Prefix(b, 2, 0x20, 0x02)                                // 2002::/16 6to4 embeds an IPv4 address
                || Prefix(b, 4, 0x20, 0x01, 0x00, 0x00)                    // 2001::/32 Teredo embeds one too
                || Prefix(b, 4, 0x20, 0x01, 0x0D, 0xB8)                    // 2001:db8::/32 documentation
                || Prefix(b, 8, 0x01, 0x00));                              // 100::/64 discard
        }
        return false;
    }

    // The first `length` bytes equal `head` followed by zeros.
    private static bool Prefix(byte[] address, int length, params byte[] head)
    {
        for (int i = 0; i < length; i++)
            if (address[i] != (i < head.Length ? head[i] : 0)) return false;
        return true;
    }
}

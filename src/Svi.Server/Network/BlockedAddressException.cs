using System.Net;

namespace Svi.Server.Network;

/// <summary>A host whose every address is private, loopback or link-local, refused by <see cref="GuardedConnect"/>.</summary>
public sealed class BlockedAddressException(string host, IPAddress[] addresses) : Exception($"{host} is not a public address")
{
    public string Host { get; } = host;
    public IPAddress[] Addresses { get; } = addresses;

    public string Describe() => $"{Host}: {string.Join(", ", Addresses.Select(a => a.ToString()))}";
}

using Svi.Server.Network;

namespace Svi.Server.Tests.Hardening;

/// <summary>Image URLs reach only public addresses, including through IPv6 forms that embed an IPv4 address.</summary>
public sealed class NetworkAddressTests
{
    [Theory]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("::a9fe:a9fe")]
    [InlineData("::127.0.0.1")]          // ::/96
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("64:ff9b::8.8.8.8")]
    [InlineData("64:ff9b:1::1")]       // NAT64
    [InlineData("2002:a9fe:a9fe::1")]
    [InlineData("2002:0808:0808::1")]                                   // 6to4
    [InlineData("2001:0:4136:e378:8000:63bf:3fff:fdd2")]
    [InlineData("2001:db8::1")]
    [InlineData("100::1")]
    [InlineData("fd00::1")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("169.254.169.254")]
    [InlineData("10.0.0.1")]
    [InlineData("127.0.0.1")]
    [InlineData("100.64.0.1")]
    public void Internal_and_ipv4_embedding_addresses_are_not_public(string address) =>
        Assert.False(NetworkAddresses.IsPublic(IPAddress.Parse(address)));

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2a00:1450:4001:80b::200e")]
    [InlineData("::ffff:8.8.8.8")]
    public void Public_addresses_are_public(string address) => Assert.True(NetworkAddresses.IsPublic(IPAddress.Parse(address)));
}

using System.Net;
using AdoBridge.Webhooks.Delivery;

namespace AdoBridge.UnitTests.Webhooks.Delivery;

/// <summary>Every refused range in every textual form a URL host can take, and the public addresses that must pass.</summary>
public sealed class DestinationAddressesTests
{
    [Theory]
    // loopback: dotted, short forms, one number in decimal, hex and octal, mixed, IPv6 and its IPv4 forms
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.1", "loopback")]
    [InlineData("127.0.1", "loopback")]
    [InlineData("2130706433", "loopback")]
    [InlineData("0x7f000001", "loopback")]
    [InlineData("0X7F000001", "loopback")]
    [InlineData("0x7f.0.0.1", "loopback")]
    [InlineData("0x7f.1", "loopback")]
    [InlineData("0177.0.0.1", "loopback")]
    [InlineData("017700000001", "loopback")]
    [InlineData("0177.1", "loopback")]
    [InlineData("127.255.255.254", "loopback")]
    [InlineData("127.0.0.1.", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("[::1]", "loopback")]
    [InlineData("0:0:0:0:0:0:0:1", "loopback")]
    [InlineData("[::ffff:127.0.0.1]", "loopback (IPv4-mapped)")]
    [InlineData("::ffff:7f00:1", "loopback (IPv4-mapped)")]
    [InlineData("[::127.0.0.1]", "IPv4-compatible")]
    [InlineData("::7f00:1", "IPv4-compatible")]
    [InlineData("64:ff9b::127.0.0.1", "loopback (NAT64)")]
    [InlineData("2002:7f00:1::", "loopback (6to4)")]
    // private (RFC 1918) and shared address space
    [InlineData("10.0.0.1", "private")]
    [InlineData("10.1", "private")]
    [InlineData("167772161", "private")]
    [InlineData("0xa000001", "private")]
    [InlineData("012.0.0.1", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("0xac100001", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("3232235777", "private")]
    [InlineData("0300.0250.1.1", "private")]
    [InlineData("::ffff:192.168.1.1", "private (IPv4-mapped)")]
    [InlineData("::ffff:10.0.0.1", "private (IPv4-mapped)")]
    [InlineData("100.64.0.1", "shared (carrier-grade NAT)")]
    [InlineData("100.127.255.254", "shared (carrier-grade NAT)")]
    // link-local, with the cloud metadata address in every form
    [InlineData("169.254.169.254", "link-local (cloud metadata)")]
    [InlineData("2852039166", "link-local (cloud metadata)")]
    [InlineData("0xa9fea9fe", "link-local (cloud metadata)")]
    [InlineData("0251.0376.0251.0376", "link-local (cloud metadata)")]
    [InlineData("169.254.43518", "link-local (cloud metadata)")]
    [InlineData("::ffff:169.254.169.254", "link-local (cloud metadata) (IPv4-mapped)")]
    [InlineData("::ffff:a9fe:a9fe", "link-local (cloud metadata) (IPv4-mapped)")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("fe80::1%eth0", "link-local")]
    [InlineData("[fe80::1%25eth0]", "link-local")]
    [InlineData("fe80::1%2", "link-local")]
    [InlineData("febf:ffff::1", "link-local")]
    // unique-local and site-local IPv6
    [InlineData("fc00::1", "unique-local")]
    [InlineData("fd12:3456:789a::1", "unique-local")]
    [InlineData("fd00::1%eth0", "unique-local")]
    [InlineData("fec0::1", "site-local")]
    [InlineData("feff::1", "site-local")]
    // multicast, unspecified, broadcast and other special use
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("239.255.255.250", "multicast")]
    [InlineData("0xe0000001", "multicast")]
    [InlineData("ff02::1", "multicast")]
    [InlineData("ff05::1:3", "multicast")]
    [InlineData("0.0.0.0", "unspecified (\"this network\")")]
    [InlineData("0", "unspecified (\"this network\")")]
    [InlineData("0x0", "unspecified (\"this network\")")]
    [InlineData("0.1.2.3", "unspecified (\"this network\")")]
    [InlineData("::", "unspecified")]
    [InlineData("[::]", "unspecified")]
    [InlineData("::ffff:0.0.0.0", "unspecified (\"this network\") (IPv4-mapped)")]
    [InlineData("255.255.255.255", "reserved (and broadcast)")]
    [InlineData("4294967295", "reserved (and broadcast)")]
    [InlineData("0xffffffff", "reserved (and broadcast)")]
    [InlineData("240.0.0.1", "reserved (and broadcast)")]
    [InlineData("192.0.0.170", "IETF protocol assignments")]
    [InlineData("198.18.0.1", "benchmarking")]
    [InlineData("192.88.99.1", "6to4 relay")]
    [InlineData("100::1", "discard-only")]
    [InlineData("2001::1", "Teredo tunnel")]
    [InlineData("64:ff9b:1::1", "local-use NAT64")]
    public void RefusedRange_NamesTheRangeOfEveryTextualForm(string host, string range)
    {
        var address = DestinationHost.Literal(DestinationHost.Normalize(host));
        address.ShouldNotBeNull($"'{host}' is a literal address");
        DestinationAddresses.RefusedRange(address).ShouldBe(range);
    }

    [Theory]
    [InlineData("203.0.113.7")]
    [InlineData("198.51.100.1")]
    [InlineData("8.8.8.8")]
    [InlineData("134744072")]
    [InlineData("0x08080808")]
    [InlineData("1.1")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("169.255.0.1")]
    [InlineData("11.0.0.1")]
    [InlineData("2606:4700::1111")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::8.8.8.8")]
    [InlineData("2002:0808:0808::1")]
    public void RefusedRange_LetsPublicAddressesThrough(string host)
    {
        var address = DestinationHost.Literal(DestinationHost.Normalize(host));
        address.ShouldNotBeNull();
        DestinationAddresses.RefusedRange(address).ShouldBeNull();
    }

    [Theory]
    [InlineData("app.contoso.com")]
    [InlineData("1.2.3.4.example")]
    [InlineData("0x7f000001.example.com")]
    [InlineData("256.256.256.256")]
    [InlineData("1.2.3.4.5")]
    [InlineData("4294967296")]
    [InlineData("089.0.0.1")]
    [InlineData("0xg")]
    public void Literal_TakesNamesAndImpossibleNumbersForNames(string host)
        => DestinationHost.Literal(DestinationHost.Normalize(host)).ShouldBeNull();

    [Theory]
    [InlineData("localhost")]
    [InlineData("LOCALHOST.")]
    [InlineData("localhost..")]
    [InlineData("api.localhost")]
    public void IsLocalhostName_CoversLocalhostAndItsSubdomains(string host)
        => DestinationHost.IsLocalhostName(DestinationHost.Normalize(host)).ShouldBeTrue();

    [Fact]
    public void RefusedRange_IgnoresTheZoneId()
        => DestinationAddresses.RefusedRange(new IPAddress(IPAddress.Parse("fe80::1").GetAddressBytes(), 3)).ShouldBe("link-local");
}

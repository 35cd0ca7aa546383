using System.Net;
using System.Net.Sockets;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>
/// Which addresses a webhook may not be sent to, because they reach inside the network AdoBridge runs in rather than a
/// product on the internet: loopback, private, shared (CGNAT), link-local (cloud metadata at 169.254.169.254), IPv6
/// unique-local and site-local, multicast, unspecified, broadcast and other special-use ranges. IPv6 forms that carry an
/// IPv4 address (mapped, compatible, NAT64, 6to4) are judged by the address they carry.
/// </summary>
internal static class DestinationAddresses
{
    private static readonly (IPNetwork Network, string Name)[] RefusedV4 =
    [
        (IPNetwork.Parse("0.0.0.0/8"), "unspecified (\"this network\")"),
        (IPNetwork.Parse("10.0.0.0/8"), "private"),
        (IPNetwork.Parse("100.64.0.0/10"), "shared (carrier-grade NAT)"),
        (IPNetwork.Parse("127.0.0.0/8"), "loopback"),
        (IPNetwork.Parse("169.254.0.0/16"), "link-local (cloud metadata)"),
        (IPNetwork.Parse("172.16.0.0/12"), "private"),
        (IPNetwork.Parse("192.0.0.0/24"), "IETF protocol assignments"),
        (IPNetwork.Parse("192.88.99.0/24"), "6to4 relay"),
        (IPNetwork.Parse("192.168.0.0/16"), "private"),
        (IPNetwork.Parse("198.18.0.0/15"), "benchmarking"),
        (IPNetwork.Parse("224.0.0.0/4"), "multicast"),
        (IPNetwork.Parse("240.0.0.0/4"), "reserved (and broadcast)"),
    ];

    private static readonly (IPNetwork Network, string Name)[] RefusedV6 =
    [
        (IPNetwork.Parse("::/128"), "unspecified"),
        (IPNetwork.Parse("::1/128"), "loopback"),
        (IPNetwork.Parse("100::/64"), "discard-only"),
        (IPNetwork.Parse("2001::/32"), "Teredo tunnel"),
        (IPNetwork.Parse("2001:10::/28"), "ORCHID"),
        (IPNetwork.Parse("fc00::/7"), "unique-local"),
        (IPNetwork.Parse("fe80::/10"), "link-local"),
        (IPNetwork.Parse("fec0::/10"), "site-local"),
        (IPNetwork.Parse("ff00::/8"), "multicast"),
    ];

    private static readonly IPNetwork Nat64 = IPNetwork.Parse("64:ff9b::/96");
    private static readonly IPNetwork Nat64Local = IPNetwork.Parse("64:ff9b:1::/48");
    private static readonly IPNetwork SixToFour = IPNetwork.Parse("2002::/16");
    private static readonly IPNetwork Compatible = IPNetwork.Parse("::/96");

    /// <summary>The name of the refused range the address is in, or null for an ordinary public address.</summary>
    public static string? RefusedRange(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return RefusedV4.FirstOrDefault(r => r.Network.Contains(address)).Name;
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return "not an IP address";
        }

        // The scope (zone id, "%eth0") says which interface, not where: judge the address without it.
        var v6 = address.ScopeId == 0 ? address : new IPAddress(address.GetAddressBytes());
        if (v6.IsIPv4MappedToIPv6)
        {
            return Embedded("IPv4-mapped", v6.MapToIPv4());
        }

        if (RefusedV6.FirstOrDefault(r => r.Network.Contains(v6)).Name is { } name)
        {
            return name;
        }

        var bytes = v6.GetAddressBytes();
        if (Compatible.Contains(v6))
        {
            // ::a.b.c.d (deprecated): no public host is reached this way, and stacks that still route it reach a.b.c.d.
            return "IPv4-compatible";
        }

        if (Nat64.Contains(v6))
        {
            return Embedded("NAT64", new IPAddress(bytes.AsSpan(12, 4)));
        }

        if (Nat64Local.Contains(v6))
        {
            return "local-use NAT64";
        }

        return SixToFour.Contains(v6) ? Embedded("6to4", new IPAddress(bytes.AsSpan(2, 4))) : null;
    }

    private static string? Embedded(string form, IPAddress v4) => RefusedRange(v4) is { } inner ? $"{inner} ({form})" : null;
}

using System.Net;
using Microsoft.Extensions.Options;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>The operator's allowed private destinations: networks (CIDR or a single address) and host names.</summary>
internal sealed class AllowList(IReadOnlyList<IPNetwork> networks, IReadOnlySet<string> hosts)
{
    public static readonly AllowList Empty = new([], new HashSet<string>());

    public bool Allows(string host, IPAddress address)
    {
        if (hosts.Contains(host))
        {
            return true;
        }

        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return networks.Any(n => n.Contains(plain));
    }

    /// <summary>Parses the setting; entries were checked at start-up by <see cref="Error"/>.</summary>
    public static AllowList Parse(string[]? entries)
    {
        var networks = new List<IPNetwork>();
        var hosts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in entries ?? [])
        {
            var entry = raw.Trim();
            if (TryNetwork(entry, out var network))
            {
                networks.Add(network);
            }
            else if (entry.Length > 0)
            {
                hosts.Add(DestinationHost.Normalize(entry));
            }
        }

        return new AllowList(networks, hosts);
    }

    /// <summary>What is wrong with an entry, or null: each must be a CIDR (`10.0.0.0/8`, `fd00::/8`), an address, or a host name.</summary>
    public static string? Error(string? entry)
    {
        var e = entry?.Trim() ?? string.Empty;
        if (e.Length == 0)
        {
            return "an entry is empty";
        }

        if (TryNetwork(e, out var network))
        {
            // 10.0.0.1/8 would silently mean 10.0.0.0/8: say so rather than allow more than the operator may have meant.
            var slash = e.IndexOf('/', StringComparison.Ordinal);
            return slash < 0 || network.BaseAddress.Equals(IPAddress.Parse(e[..slash]))
                ? null
                : $"'{e}' has bits set beyond its prefix; write it as {network}";
        }

        if (e.Contains('/', StringComparison.Ordinal) || e.Contains(':', StringComparison.Ordinal))
        {
            return $"'{e}' is not a valid CIDR (e.g. 10.20.0.0/16 or fd00::/8): the address must have no bits set beyond the prefix";
        }

        return Uri.CheckHostName(DestinationHost.Normalize(e)) == UriHostNameType.Dns ? null : $"'{e}' is neither a CIDR nor a host name";
    }

    private static bool TryNetwork(string entry, out IPNetwork network)
    {
        if (IPNetwork.TryParse(entry, out network))
        {
            return true;
        }

        if (!entry.Contains('/', StringComparison.Ordinal) && DestinationHost.Literal(DestinationHost.Normalize(entry)) is { } single
            && (entry.Contains(':', StringComparison.Ordinal) || entry.Count(c => c == '.') == 3))
        {
            network = new IPNetwork(single, single.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
            return true;
        }

        return false;
    }
}

/// <summary>Checks <see cref="WebhookDeliveryOptions.AllowedPrivateDestinations"/> at start-up, naming the entry that is wrong.</summary>
internal sealed class AllowListValidation : IValidateOptions<WebhookDeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, WebhookDeliveryOptions options)
    {
        var errors = (options.AllowedPrivateDestinations ?? []).Select(AllowList.Error).OfType<string>().ToList();
        return errors.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"{DestinationPolicy.Setting}: {string.Join("; ", errors)}. List CIDRs (10.20.0.0/16, fd00::/8), single addresses or host names, "
                + $"e.g. {DestinationPolicy.Setting}:0=10.20.0.0/16.");
    }
}

using System.Net;
using System.Net.Sockets;
using AdoBridge.Hosting;
using Microsoft.Extensions.Options;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>
/// Decides where webhooks may go: public addresses always; an address in a refused range (see <see cref="DestinationAddresses"/>)
/// only when the operator allows it in <see cref="WebhookDeliveryOptions.AllowedPrivateDestinations"/> (a CIDR holding it,
/// or the endpoint's host name), or, in sandbox mode, when it is loopback, so the bundled tools can receive on a laptop.
/// </summary>
internal sealed class DestinationPolicy(IOptionsMonitor<WebhookDeliveryOptions> options, SandboxMode sandbox, IDestinationResolver resolver)
{
    public const string Setting = WebhookDeliveryOptions.Section + ":AllowedPrivateDestinations";

    /// <summary>How long registration waits for DNS; an unresolved name is accepted then and judged at every send.</summary>
    private static readonly TimeSpan RegistrationLookupTimeout = TimeSpan.FromSeconds(2);

    // One reference, swapped whole, so a reader never pairs one setting's source with another's parsed list.
    private ParsedAllowList allowed = new(null, AllowList.Empty);

    /// <summary>
    /// The range a registration's host is refused for, or null. Literal addresses (any textual form) and `localhost` are
    /// judged at once; a name is resolved briefly, and refused when it resolves to a refused address.
    /// </summary>
    public async Task<(string Range, string Address)?> RefusedAtRegistrationAsync(Uri url, CancellationToken ct)
    {
        var host = DestinationHost.Normalize(url.IdnHost);
        if (DestinationHost.IsLocalhostName(host))
        {
            return Refusal(host, IPAddress.Loopback) is { } range ? (range, host) : null;
        }

        if (DestinationHost.Literal(host) is { } literal)
        {
            return Refusal(host, literal) is { } range ? (range, literal.ToString()) : null;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(RegistrationLookupTimeout);
        try
        {
            foreach (var address in await resolver.ResolveAsync(host, timeout.Token))
            {
                if (Refusal(host, address) is { } range)
                {
                    return (range, host);
                }
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ArgumentException && !ct.IsCancellationRequested)
        {
            // Not resolvable now (not set up yet, DNS away): every send resolves it again and judges the answer.
        }

        return null;
    }

    /// <summary>
    /// The addresses to connect to for a send: the host's literal address or every address it resolves to, each vetted.
    /// One refused address refuses the send, so a name that answers both public and internal addresses cannot be used
    /// to reach inside.
    /// </summary>
    public async Task<IPAddress[]> VetAsync(string host, CancellationToken ct)
    {
        host = DestinationHost.Normalize(host);
        IPAddress[] addresses = DestinationHost.Literal(host) is { } literal ? [literal]
            : DestinationHost.IsLocalhostName(host) ? [IPAddress.Loopback, IPAddress.IPv6Loopback]
            : await resolver.ResolveAsync(host, ct);
        foreach (var address in addresses)
        {
            if (Refusal(host, address) is { } range)
            {
                throw new DestinationRefusedException(range);
            }
        }

        return addresses;
    }

    /// <summary>Why the address is refused for this host, or null when it may be used.</summary>
    public string? Refusal(string host, IPAddress address)
    {
        if (DestinationAddresses.RefusedRange(address) is not { } range)
        {
            return null;
        }

        var list = AllowListNow();
        if (list.Allows(host, address))
        {
            return null;
        }

        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return sandbox.Enabled && IPAddress.IsLoopback(plain) ? null : range;
    }

    /// <summary>Whether the operator allows loopback destinations (sandbox mode), for the banner.</summary>
    public bool SandboxAllowsLoopback => sandbox.Enabled;

    private AllowList AllowListNow()
    {
        var configured = options.CurrentValue.AllowedPrivateDestinations;
        var cached = Volatile.Read(ref allowed);
        if (ReferenceEquals(cached.Source, configured))
        {
            return cached.List;
        }

        var list = AllowList.Parse(configured);
        Volatile.Write(ref allowed, new ParsedAllowList(configured, list));
        return list;
    }

    private sealed record ParsedAllowList(string[]? Source, AllowList List);
}

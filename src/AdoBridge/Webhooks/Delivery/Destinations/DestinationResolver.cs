using System.Net;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>Turns a webhook endpoint's host name into addresses. Replaceable so tests can answer without DNS.</summary>
internal interface IDestinationResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct);
}

/// <summary>The system resolver.</summary>
internal sealed class DnsDestinationResolver : IDestinationResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken ct) => Dns.GetHostAddressesAsync(host, ct);
}

/// <summary>Thrown inside the connect step when a destination is refused, so no connection is ever opened to it.</summary>
internal sealed class DestinationRefusedException(string range) : Exception("The destination is in a range webhooks are not sent to.")
{
    /// <summary>The refused range's name, for the operator's log; never shown in the delivery record.</summary>
    public string Range { get; } = range;
}

using Microsoft.Extensions.Options;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>Which deliveries an event is owed: one per enabled endpoint of its environment whose filters match its type.
/// Used by the dispatcher and by ingest, which fans Azure DevOps events out in the same commit that stores them.</summary>
internal sealed class DeliveryFanOut(EndpointDirectory directory, IOptionsMonitor<WebhookDeliveryOptions> options)
{
    public async Task AddAsync(List<NewDelivery> rows, string eventId, string environmentId, string type, CancellationToken ct)
    {
        if (type == EventFilters.TestEvent)
        {
            return;
        }

        // Registration stops at MaxEndpointsPerEnvironment; should the setting have been lowered since, one event still goes to
        // no more endpoints than that (the oldest), so it cannot be multiplied into a flood.
        var left = options.CurrentValue.MaxEndpointsPerEnvironment;
        foreach (var route in await directory.RoutesAsync(environmentId, ct))
        {
            if (left > 0 && EventFilters.Matches(route.Filters, type))
            {
                rows.Add(new NewDelivery(eventId, environmentId, route.Id));
                left--;
            }
        }
    }
}

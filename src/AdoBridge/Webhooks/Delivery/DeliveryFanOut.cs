namespace AdoBridge.Webhooks.Delivery;

/// <summary>Which deliveries an event is owed: one per enabled endpoint of its environment whose filters match its type.
/// Used by the dispatcher and by ingest, which fans Azure DevOps events out in the same commit that stores them.</summary>
internal sealed class DeliveryFanOut(EndpointDirectory directory)
{
    public async Task AddAsync(List<NewDelivery> rows, string eventId, string environmentId, string type, CancellationToken ct)
    {
        if (type == EventFilters.TestEvent)
        {
            return;
        }

        foreach (var route in await directory.RoutesAsync(environmentId, ct))
        {
            if (EventFilters.Matches(route.Filters, type))
            {
                rows.Add(new NewDelivery(eventId, environmentId, route.Id));
            }
        }
    }
}

using System.Globalization;
using System.Runtime.CompilerServices;

namespace AdoBridge.Client;

/// <summary>The event log of this API key's environment (/v1/events, /v1/deliveries), oldest first.</summary>
public sealed class EventsClient
{
    private readonly AdoBridgeTransport transport;

    internal EventsClient(AdoBridgeTransport transport) => this.transport = transport;

    /// <summary>One page of events, oldest first, filtered by <paramref name="query"/>.</summary>
    public Task<Page<AdoBridgeEvent>> ListAsync(EventQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new EventQuery();
        var path = ApiPath.WithQuery("v1/events", ("type", query.Type), ("connectionId", query.ConnectionId), ("status", query.Status),
            ("since", query.Since?.ToString("O", CultureInfo.InvariantCulture)), ("until", query.Until?.ToString("O", CultureInfo.InvariantCulture)),
            ("source", query.Source), ("cursor", query.Cursor), ("limit", query.Limit));
        return transport.GetAsync(path, AdoBridgeJsonContext.Default.PageAdoBridgeEvent, cancellationToken);
    }

    /// <summary>Every event matching <paramref name="query"/> up to now, fetching page after page as you enumerate.</summary>
    public async IAsyncEnumerable<AdoBridgeEvent> ListAllAsync(EventQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query ??= new EventQuery();
        do
        {
            var page = await ListAsync(query, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items)
            {
                yield return item;
            }

            query = Paging.Next(query, query.Cursor, page.NextCursor, static (q, cursor) => q with { Cursor = cursor });
        }
        while (query is not null);
    }

    /// <summary>One event with its raw payload and every delivery and attempt; throws <c>event_not_found</c> (404) outside this environment.</summary>
    public Task<EventDetail> GetAsync(string id, CancellationToken cancellationToken = default)
        => transport.GetAsync($"v1/events/{ApiPath.Segment(id)}", AdoBridgeJsonContext.Default.EventDetail, cancellationToken);

    /// <summary>Sends the event again with the same webhook-id: to <paramref name="endpointId"/>, or to every endpoint that had it or matches it now.</summary>
    public Task<ReplayResult> ReplayAsync(string id, string? endpointId = null, CancellationToken cancellationToken = default)
        => transport.SendAsync(HttpMethod.Post, $"v1/events/{ApiPath.Segment(id)}/replay",
            AdoBridgeTransport.Json(new ReplayRequest(endpointId), AdoBridgeJsonContext.Default.ReplayRequest), AdoBridgeJsonContext.Default.ReplayResult, cancellationToken);

    /// <summary>
    /// The environment's events live (GET /v1/events/stream): what was stored after <see cref="EventStreamRequest.Cursor"/>,
    /// then each new event as it is committed, replays flagged. Reconnects from the last entry when the connection breaks
    /// or the server restarts, so none is lost or repeated; ends only when <paramref name="cancellationToken"/> is cancelled
    /// or AdoBridge refuses the stream (a bad key or filter throws <see cref="AdoBridgeApiException"/>).
    /// </summary>
    public IAsyncEnumerable<StreamedEvent> StreamAsync(EventStreamRequest? request = null, CancellationToken cancellationToken = default)
        => EventStreamReader.ReadAsync(transport, request ?? new EventStreamRequest(), cancellationToken);

    /// <summary>One page of deliveries, oldest first, filtered by <paramref name="query"/>.</summary>
    public Task<Page<EventDelivery>> ListDeliveriesAsync(DeliveryQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new DeliveryQuery();
        var path = ApiPath.WithQuery("v1/deliveries", ("endpointId", query.EndpointId), ("eventId", query.EventId), ("status", query.Status),
            ("cursor", query.Cursor), ("limit", query.Limit));
        return transport.GetAsync(path, AdoBridgeJsonContext.Default.PageEventDelivery, cancellationToken);
    }
}

internal sealed record ReplayRequest(string? EndpointId);

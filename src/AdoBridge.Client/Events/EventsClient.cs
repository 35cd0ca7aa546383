using System.Runtime.CompilerServices;

namespace AdoBridge.Client;

/// <summary>The event log of this API key's environment (/v1/events), oldest first.</summary>
public sealed class EventsClient
{
    private readonly AdoBridgeTransport transport;

    internal EventsClient(AdoBridgeTransport transport) => this.transport = transport;

    /// <summary>One page of events, oldest first, filtered by <paramref name="query"/>.</summary>
    public Task<Page<AdoBridgeEvent>> ListAsync(EventQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new EventQuery();
        var path = ApiPath.WithQuery("v1/events", ("type", query.Type), ("connectionId", query.ConnectionId), ("cursor", query.Cursor), ("limit", query.Limit));
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
}

using System.Runtime.CompilerServices;

namespace AdoBridge.Client;

/// <summary>The connections of this API key's environment (/v1/connections).</summary>
public sealed class ConnectionsClient
{
    private readonly AdoBridgeTransport transport;

    internal ConnectionsClient(AdoBridgeTransport transport) => this.transport = transport;

    /// <summary>One page of connections, oldest first, filtered by <paramref name="query"/>.</summary>
    public Task<Page<Connection>> ListAsync(ConnectionQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new ConnectionQuery();
        var path = ApiPath.WithQuery("v1/connections",
            ("endUserId", query.EndUserId), ("status", query.Status), ("app", query.App), ("authType", query.AuthType), ("cursor", query.Cursor), ("limit", query.Limit));
        return transport.GetAsync(path, AdoBridgeJsonContext.Default.PageConnection, cancellationToken);
    }

    /// <summary>Every connection matching <paramref name="query"/>, fetching page after page (of <see cref="ConnectionQuery.Limit"/>) as you enumerate.</summary>
    public async IAsyncEnumerable<Connection> ListAllAsync(ConnectionQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query ??= new ConnectionQuery();
        do
        {
            var page = await ListAsync(query, cancellationToken).ConfigureAwait(false);
            foreach (var connection in page.Items)
            {
                yield return connection;
            }

            query = Paging.Next(query, query.Cursor, page.NextCursor, static (q, cursor) => q with { Cursor = cursor });
        }
        while (query is not null);
    }

    /// <summary>One connection; throws <c>connection_not_found</c> (404) when it is not in this environment.</summary>
    public Task<Connection> GetAsync(string id, CancellationToken cancellationToken = default)
        => transport.GetAsync($"v1/connections/{ApiPath.Segment(id)}", AdoBridgeJsonContext.Default.Connection, cancellationToken);

    /// <summary>Creates a PAT or service-principal connection, after AdoBridge has checked it against Azure DevOps.</summary>
    public Task<Connection> CreateAsync(CreateConnectionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return transport.SendAsync(HttpMethod.Post, "v1/connections",
            AdoBridgeTransport.Json(request, AdoBridgeJsonContext.Default.CreateConnectionRequest), AdoBridgeJsonContext.Default.Connection, cancellationToken);
    }

    /// <summary>Deletes a connection and its stored secrets.</summary>
    public Task DeleteAsync(string id, CancellationToken cancellationToken = default)
        => transport.SendAsync(HttpMethod.Delete, $"v1/connections/{ApiPath.Segment(id)}", null, cancellationToken);

    /// <summary>A valid access token (or PAT) for the connection, renewed first if needed; throws <c>connection_needs_reauth</c> (409) when the user must reconnect.</summary>
    public Task<AccessToken> GetAccessTokenAsync(string id, CancellationToken cancellationToken = default)
        => transport.SendAsync(HttpMethod.Post, $"v1/connections/{ApiPath.Segment(id)}/access-token", null, AdoBridgeJsonContext.Default.AccessToken, cancellationToken);

    /// <summary>Renews the connection's access token now (e.g. after Azure DevOps rejected it) and returns the connection.</summary>
    public Task<Connection> RefreshAsync(string id, CancellationToken cancellationToken = default)
        => transport.SendAsync(HttpMethod.Post, $"v1/connections/{ApiPath.Segment(id)}/refresh", null, AdoBridgeJsonContext.Default.Connection, cancellationToken);
}

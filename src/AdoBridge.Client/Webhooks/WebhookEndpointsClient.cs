using System.Runtime.CompilerServices;

namespace AdoBridge.Client;

/// <summary>The webhook endpoints of this API key's environment (/v1/webhook-endpoints).</summary>
public sealed class WebhookEndpointsClient
{
    private readonly AdoBridgeTransport transport;

    internal WebhookEndpointsClient(AdoBridgeTransport transport) => this.transport = transport;

    /// <summary>One page of endpoints, oldest first.</summary>
    public Task<Page<WebhookEndpoint>> ListAsync(WebhookEndpointQuery? query = null, CancellationToken cancellationToken = default)
    {
        query ??= new WebhookEndpointQuery();
        return transport.GetAsync(ApiPath.WithQuery("v1/webhook-endpoints", ("cursor", query.Cursor), ("limit", query.Limit)),
            AdoBridgeJsonContext.Default.PageWebhookEndpoint, cancellationToken);
    }

    /// <summary>Every endpoint, fetching page after page as you enumerate.</summary>
    public async IAsyncEnumerable<WebhookEndpoint> ListAllAsync(WebhookEndpointQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query ??= new WebhookEndpointQuery();
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

    /// <summary>One endpoint; throws <c>webhook_endpoint_not_found</c> (404) when it is not in this environment.</summary>
    public Task<WebhookEndpoint> GetAsync(string id, CancellationToken cancellationToken = default)
        => transport.GetAsync($"v1/webhook-endpoints/{ApiPath.Segment(id)}", AdoBridgeJsonContext.Default.WebhookEndpoint, cancellationToken);

    /// <summary>Registers an endpoint; the result holds its signing secret, shown only this once.</summary>
    public Task<WebhookEndpointWithSecret> CreateAsync(CreateWebhookEndpointRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return transport.SendAsync(HttpMethod.Post, "v1/webhook-endpoints",
            AdoBridgeTransport.Json(request, AdoBridgeJsonContext.Default.CreateWebhookEndpointRequest), AdoBridgeJsonContext.Default.WebhookEndpointWithSecret, cancellationToken);
    }

    /// <summary>Changes an endpoint's URL, filters, description or status.</summary>
    public Task<WebhookEndpoint> UpdateAsync(string id, UpdateWebhookEndpointRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return transport.SendAsync(HttpMethod.Patch, $"v1/webhook-endpoints/{ApiPath.Segment(id)}",
            AdoBridgeTransport.Json(request, AdoBridgeJsonContext.Default.UpdateWebhookEndpointRequest), AdoBridgeJsonContext.Default.WebhookEndpoint, cancellationToken);
    }

    /// <summary>Deletes an endpoint; deliveries still owed to it end as dead.</summary>
    public Task DeleteAsync(string id, CancellationToken cancellationToken = default)
        => transport.SendAsync(HttpMethod.Delete, $"v1/webhook-endpoints/{ApiPath.Segment(id)}", null, cancellationToken);

    /// <summary>A new signing secret, shown once; the previous one keeps signing too for the server's grace period (24 h by default).</summary>
    public Task<WebhookEndpointWithSecret> RotateSecretAsync(string id, CancellationToken cancellationToken = default)
        => transport.SendAsync(HttpMethod.Post, $"v1/webhook-endpoints/{ApiPath.Segment(id)}/rotate-secret", null, AdoBridgeJsonContext.Default.WebhookEndpointWithSecret, cancellationToken);

    /// <summary>Sends every dead or failing delivery of the endpoint again now (same webhook-id), optionally within a time window.</summary>
    public Task<ReplayFailedResult> ReplayFailedAsync(string id, ReplayFailedRequest? request = null, CancellationToken cancellationToken = default)
        => transport.SendAsync(HttpMethod.Post, $"v1/webhook-endpoints/{ApiPath.Segment(id)}/replay-failed",
            AdoBridgeTransport.Json(request ?? new ReplayFailedRequest(), AdoBridgeJsonContext.Default.ReplayFailedRequest), AdoBridgeJsonContext.Default.ReplayFailedResult, cancellationToken);

    /// <summary>Sends a <c>webhook.test</c> event to this endpoint only.</summary>
    public Task<TestEventResult> SendTestAsync(string id, CancellationToken cancellationToken = default)
        => transport.SendAsync(HttpMethod.Post, $"v1/webhook-endpoints/{ApiPath.Segment(id)}/test", null, AdoBridgeJsonContext.Default.TestEventResult, cancellationToken);
}

using AdoBridge.Storage;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>An endpoint as the product sees it: never its secret, except once in <see cref="WebhookEndpointWithSecret"/>.</summary>
internal sealed record WebhookEndpointView(
    string Id, string Url, string? Description, IReadOnlyList<string> Events, string Status, string Circuit, int ConsecutiveFailures,
    DateTimeOffset? CircuitOpenUntil, DateTimeOffset? PreviousSecretExpiresAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static WebhookEndpointView From(WebhookEndpointEntity e, int threshold, DateTimeOffset now) => new(
        e.Id, e.Url, e.Description, EventFilters.Parse(e.EventFilters), e.Status, CircuitOf(e, threshold, now), e.ConsecutiveFailures,
        e.CircuitOpenUntil, e.PreviousSecretExpiresAt is { } until && until > now ? until : null, e.CreatedAt, e.UpdatedAt);

    /// <summary>`closed` (sending), `open` (deliveries wait until circuitOpenUntil) or `half_open` (one trial request goes next).</summary>
    private static string CircuitOf(WebhookEndpointEntity e, int threshold, DateTimeOffset now)
        => e.ConsecutiveFailures < threshold ? "closed" : e.CircuitOpenUntil is { } until && until > now ? "open" : "half_open";
}

/// <summary>The answer to create and rotate-secret: the endpoint and its signing secret, shown this once.</summary>
internal sealed record WebhookEndpointWithSecret(
    string Id, string Url, string? Description, IReadOnlyList<string> Events, string Status, string Secret,
    DateTimeOffset? PreviousSecretExpiresAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static WebhookEndpointWithSecret From(WebhookEndpointView v, string secret)
        => new(v.Id, v.Url, v.Description, v.Events, v.Status, secret, v.PreviousSecretExpiresAt, v.CreatedAt, v.UpdatedAt);
}

internal sealed record WebhookEndpointList(IReadOnlyList<WebhookEndpointView> Items, string? NextCursor);

internal sealed record ReplayFailedResult(string EndpointId, int Requeued);

internal sealed record TestEventResult(string EventId, string DeliveryId, string EndpointId);

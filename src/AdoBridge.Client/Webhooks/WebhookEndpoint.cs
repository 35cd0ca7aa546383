namespace AdoBridge.Client;

/// <summary>Where AdoBridge delivers events, signed with Standard Webhooks; never its secret.</summary>
/// <param name="Id">AdoBridge's id for the endpoint (whe_…).</param>
/// <param name="Url">The URL events are posted to.</param>
/// <param name="Description">Your note about the endpoint.</param>
/// <param name="Events">Event filters: exact types (<c>pull_request.created</c>), families (<c>pull_request.*</c>) or <c>*</c>.</param>
/// <param name="Status"><c>enabled</c> or <c>disabled</c> (deliveries wait until it is enabled again).</param>
/// <param name="Circuit"><c>closed</c> (sending), <c>open</c> (too many failures in a row; deliveries wait until <paramref name="CircuitOpenUntil"/>) or <c>half_open</c> (a trial request goes next).</param>
/// <param name="ConsecutiveFailures">Failed attempts in a row.</param>
/// <param name="CircuitOpenUntil">When an open circuit lets the next trial request through.</param>
/// <param name="PreviousSecretExpiresAt">Until when the secret before the last rotation still signs too.</param>
/// <param name="CreatedAt">When the endpoint was registered.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record WebhookEndpoint(
    string Id, Uri Url, string? Description, IReadOnlyList<string> Events, string Status, string Circuit, int ConsecutiveFailures,
    DateTimeOffset? CircuitOpenUntil, DateTimeOffset? PreviousSecretExpiresAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>An endpoint just created or with a rotated secret: the only time the signing secret is shown. Store it now.</summary>
/// <param name="Id">AdoBridge's id for the endpoint (whe_…).</param>
/// <param name="Url">The URL events are posted to.</param>
/// <param name="Description">Your note about the endpoint.</param>
/// <param name="Events">Event filters.</param>
/// <param name="Status"><c>enabled</c> or <c>disabled</c>.</param>
/// <param name="Secret">The signing secret (<c>whsec_…</c>); give it to <see cref="StandardWebhookVerifier"/>.</param>
/// <param name="PreviousSecretExpiresAt">After a rotation: until when the previous secret still signs too.</param>
/// <param name="CreatedAt">When the endpoint was registered.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record WebhookEndpointWithSecret(
    string Id, Uri Url, string? Description, IReadOnlyList<string> Events, string Status, string Secret,
    DateTimeOffset? PreviousSecretExpiresAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A new webhook endpoint.</summary>
/// <param name="Url">Absolute http(s) URL without credentials in it.</param>
/// <param name="Events">Filters: exact types, families such as <c>pull_request.*</c>, or <c>*</c>.</param>
/// <param name="Description">An optional note.</param>
public sealed record CreateWebhookEndpointRequest(Uri Url, IReadOnlyList<string> Events, string? Description = null);

/// <summary>Changes to an endpoint; what is left null stays as it is.</summary>
public sealed record UpdateWebhookEndpointRequest
{
    /// <summary>A new URL.</summary>
    public Uri? Url { get; init; }

    /// <summary>New event filters (they replace the old ones).</summary>
    public IReadOnlyList<string>? Events { get; init; }

    /// <summary>A new description.</summary>
    public string? Description { get; init; }

    /// <summary><c>enabled</c> or <c>disabled</c>.</summary>
    public string? Status { get; init; }
}

/// <summary>Paging for the endpoint list.</summary>
public sealed record WebhookEndpointQuery
{
    /// <summary>Start after this cursor (a previous page's NextCursor).</summary>
    public string? Cursor { get; init; }

    /// <summary>Page size, 1 to 500 (server default 100).</summary>
    public int? Limit { get; init; }
}

/// <summary>A time window for <see cref="WebhookEndpointsClient.ReplayFailedAsync"/>, on when the deliveries were created.</summary>
/// <param name="Since">Only deliveries created at or after this.</param>
/// <param name="Until">Only deliveries created at or before this.</param>
public sealed record ReplayFailedRequest(DateTimeOffset? Since = null, DateTimeOffset? Until = null);

/// <summary>How many deliveries a replay-failed queued again.</summary>
/// <param name="EndpointId">The endpoint.</param>
/// <param name="Requeued">Dead or failing deliveries now due again.</param>
public sealed record ReplayFailedResult(string EndpointId, int Requeued);

/// <summary>The test event sent to an endpoint.</summary>
/// <param name="EventId">The <c>webhook.test</c> event's id (also its webhook-id).</param>
/// <param name="DeliveryId">Its delivery to the endpoint.</param>
/// <param name="EndpointId">The endpoint.</param>
public sealed record TestEventResult(string EventId, string DeliveryId, string EndpointId);

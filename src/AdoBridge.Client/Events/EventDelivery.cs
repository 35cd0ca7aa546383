using System.Text.Json;

namespace AdoBridge.Client;

/// <summary>One event with every delivery and attempt.</summary>
/// <param name="Id">The event id, also the webhook-id of every delivery of it.</param>
/// <param name="Type">The event type.</param>
/// <param name="Source"><c>adobridge</c> or <c>azure_devops</c>.</param>
/// <param name="SourceEventType">Azure DevOps' event type (e.g. <c>git.pullrequest.created</c>).</param>
/// <param name="ConnectionId">The connection the event is about.</param>
/// <param name="Organization">The Azure DevOps organisation.</param>
/// <param name="Project">The Azure DevOps project.</param>
/// <param name="Repository">The repository.</param>
/// <param name="Data">The normalised data the product receives.</param>
/// <param name="RawPayload">What Azure DevOps sent, as received.</param>
/// <param name="Status">One of <see cref="EventDeliveryStatus"/>.</param>
/// <param name="CreatedAt">When the event happened.</param>
/// <param name="DispatchedAt">When its deliveries were queued.</param>
/// <param name="Deliveries">One per endpoint that wanted it.</param>
/// <param name="AzureDevOpsEventId">Azure DevOps' event id: the same on the events of every connection one Azure DevOps event reached.</param>
public sealed record EventDetail(
    string Id, string Type, string Source, string? SourceEventType, string? ConnectionId, string? Organization, string? Project, string? Repository,
    JsonElement Data, JsonElement? RawPayload, string Status, DateTimeOffset CreatedAt, DateTimeOffset? DispatchedAt, IReadOnlyList<EventDeliveryDetail> Deliveries,
    string? AzureDevOpsEventId = null);

/// <summary>One delivery of an event, with its attempts.</summary>
/// <param name="Id">The delivery id (dlv_…).</param>
/// <param name="EndpointId">The endpoint.</param>
/// <param name="Status">One of <see cref="DeliveryStatus"/>.</param>
/// <param name="AttemptCount">Attempts since it was created or last replayed.</param>
/// <param name="NextAttemptAt">When it is tried next (pending or failed only).</param>
/// <param name="LastStatusCode">The last answer's status code.</param>
/// <param name="LastError">The last failure, in words.</param>
/// <param name="CreatedAt">When it was queued.</param>
/// <param name="CompletedAt">When it succeeded or died.</param>
/// <param name="Attempts">Every attempt, oldest first.</param>
public sealed record EventDeliveryDetail(
    string Id, string EndpointId, string Status, int AttemptCount, DateTimeOffset? NextAttemptAt, int? LastStatusCode, string? LastError,
    DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, IReadOnlyList<DeliveryAttempt> Attempts);

/// <summary>One try at sending an event to an endpoint.</summary>
/// <param name="Attempt">1 for the first try (numbering restarts after a replay).</param>
/// <param name="StartedAt">When it was sent.</param>
/// <param name="DurationMs">How long it took.</param>
/// <param name="StatusCode">The answer's status code; null when none came.</param>
/// <param name="Outcome"><c>succeeded</c>, <c>failed</c> (non-2xx), <c>timeout</c> or <c>error</c> (could not connect…).</param>
/// <param name="Error">What went wrong, in words.</param>
/// <param name="ResponseBody">The first KiB of the answer.</param>
public sealed record DeliveryAttempt(int Attempt, DateTimeOffset StartedAt, int DurationMs, int? StatusCode, string Outcome, string? Error, string? ResponseBody);

/// <summary>A delivery as listed by <see cref="EventsClient.ListDeliveriesAsync"/>.</summary>
/// <param name="Id">The delivery id (dlv_…).</param>
/// <param name="EventId">The event (and webhook-id).</param>
/// <param name="EndpointId">The endpoint.</param>
/// <param name="Status">One of <see cref="DeliveryStatus"/>.</param>
/// <param name="AttemptCount">Attempts since it was created or last replayed.</param>
/// <param name="NextAttemptAt">When it is tried next.</param>
/// <param name="LastStatusCode">The last answer's status code.</param>
/// <param name="LastError">The last failure, in words.</param>
/// <param name="CreatedAt">When it was queued.</param>
/// <param name="CompletedAt">When it succeeded or died.</param>
public sealed record EventDelivery(
    string Id, string EventId, string EndpointId, string Status, int AttemptCount, DateTimeOffset? NextAttemptAt, int? LastStatusCode, string? LastError,
    DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt);

/// <summary>Filters and paging for deliveries; every filter is optional.</summary>
public sealed record DeliveryQuery
{
    /// <summary>Only deliveries to this endpoint.</summary>
    public string? EndpointId { get; init; }

    /// <summary>Only deliveries of this event.</summary>
    public string? EventId { get; init; }

    /// <summary>Only deliveries in this status (see <see cref="DeliveryStatus"/>).</summary>
    public string? Status { get; init; }

    /// <summary>Start after this cursor.</summary>
    public string? Cursor { get; init; }

    /// <summary>Page size, 1 to 500 (server default 100).</summary>
    public int? Limit { get; init; }
}

/// <summary>The deliveries an event replay queued.</summary>
/// <param name="EventId">The event, and the webhook-id the endpoint sees again.</param>
/// <param name="Deliveries">The deliveries now due.</param>
public sealed record ReplayResult(string EventId, IReadOnlyList<EventDelivery> Deliveries);

/// <summary>Delivery statuses.</summary>
public static class DeliveryStatus
{
    /// <summary>Not tried yet.</summary>
    public const string Pending = "pending";

    /// <summary>Tried and failed; retrying on schedule.</summary>
    public const string Failed = "failed";

    /// <summary>The endpoint answered 2xx.</summary>
    public const string Succeeded = "succeeded";

    /// <summary>Retries used up.</summary>
    public const string Dead = "dead";
}

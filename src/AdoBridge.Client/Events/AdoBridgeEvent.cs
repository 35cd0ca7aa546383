using System.Text.Json;

namespace AdoBridge.Client;

/// <summary>One entry of the event log, e.g. a connection created or needing re-authorisation.</summary>
/// <param name="Id">The event id (evt_…); ids sort in the order events happened.</param>
/// <param name="Type">The event type, e.g. <c>connection.created</c> (see <see cref="EventTypes"/>); the server adds types over time.</param>
/// <param name="ConnectionId">The connection the event is about, if any.</param>
/// <param name="Data">The event's payload, as sent.</param>
/// <param name="CreatedAt">When the event happened.</param>
public sealed record AdoBridgeEvent(string Id, string Type, string? ConnectionId, JsonElement Data, DateTimeOffset CreatedAt)
{
    /// <summary>Where the event came from: <c>adobridge</c> (lifecycle events) or <c>azure_devops</c> (service hooks).</summary>
    public string? Source { get; init; }

    /// <summary>Azure DevOps' event id, for Azure DevOps events: the same on the events of every connection one Azure DevOps
    /// event reached, so a product that wants each change once deduplicates on it.</summary>
    public string? AzureDevOpsEventId { get; init; }

    /// <summary>The Azure DevOps organisation, for Azure DevOps events.</summary>
    public string? Organization { get; init; }

    /// <summary>The Azure DevOps project, for Azure DevOps events.</summary>
    public string? Project { get; init; }

    /// <summary>The repository, for Git events.</summary>
    public string? Repository { get; init; }

    /// <summary>How delivery is going, one of <see cref="EventDeliveryStatus"/>.</summary>
    public string? Status { get; init; }

    /// <summary>When AdoBridge queued its deliveries; null until then.</summary>
    public DateTimeOffset? DispatchedAt { get; init; }
}

/// <summary>Filters and paging for the event log; every filter is optional.</summary>
public sealed record EventQuery
{
    /// <summary>Only events of this type (see <see cref="EventTypes"/>), or of a family such as <c>pull_request.*</c>.</summary>
    public string? Type { get; init; }

    /// <summary>Only events about this connection.</summary>
    public string? ConnectionId { get; init; }

    /// <summary>Only events whose delivery status is this (see <see cref="EventDeliveryStatus"/>).</summary>
    public string? Status { get; init; }

    /// <summary>Only events that happened at or after this time.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only events that happened at or before this time.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Only events from this source: <c>adobridge</c> or <c>azure_devops</c>.</summary>
    public string? Source { get; init; }

    /// <summary>Start after this cursor (a previous page's NextCursor, or the last event id you processed).</summary>
    public string? Cursor { get; init; }

    /// <summary>Page size, 1 to 500 (server default 100).</summary>
    public int? Limit { get; init; }
}

/// <summary>Lifecycle event types; Azure DevOps events (pull_request.*, work_item.*, git.push, build.completed) arrive too.</summary>
public static class EventTypes
{
    /// <summary>A user connected (connect page or API).</summary>
    public const string ConnectionCreated = "connection.created";

    /// <summary>A connection was restored through a reconnect, keeping its id.</summary>
    public const string ConnectionReconnected = "connection.reconnected";

    /// <summary>The user must connect again.</summary>
    public const string ConnectionNeedsReauth = "connection.needs_reauth";

    /// <summary>A connection stopped working because of configuration.</summary>
    public const string ConnectionError = "connection.error";

    /// <summary>A connection was deleted.</summary>
    public const string ConnectionDeleted = "connection.deleted";

    /// <summary>An app's client secret expires soon.</summary>
    public const string AppSecretExpiring = "app.secret_expiring";

    /// <summary>A test sent from the webhook endpoint API.</summary>
    public const string WebhookTest = "webhook.test";
}

/// <summary>An event's delivery status, derived from its deliveries.</summary>
public static class EventDeliveryStatus
{
    /// <summary>Not sent yet.</summary>
    public const string Pending = "pending";

    /// <summary>Every endpoint that wanted it got it.</summary>
    public const string Delivered = "delivered";

    /// <summary>An attempt failed; retrying on schedule.</summary>
    public const string Failed = "failed";

    /// <summary>A delivery used up its retries; replay it once the endpoint works.</summary>
    public const string Dead = "dead";

    /// <summary>No endpoint's filters matched it.</summary>
    public const string None = "none";
}

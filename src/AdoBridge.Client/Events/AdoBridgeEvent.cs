using System.Text.Json;

namespace AdoBridge.Client;

/// <summary>One entry of the event log, e.g. a connection created or needing re-authorisation.</summary>
/// <param name="Id">The event id (evt_…); ids sort in the order events happened.</param>
/// <param name="Type">The event type, e.g. <c>connection.created</c> (see <see cref="EventTypes"/>); the server adds types over time.</param>
/// <param name="ConnectionId">The connection the event is about, if any.</param>
/// <param name="Data">The event's payload, as sent.</param>
/// <param name="CreatedAt">When the event happened.</param>
public sealed record AdoBridgeEvent(string Id, string Type, string? ConnectionId, JsonElement Data, DateTimeOffset CreatedAt);

/// <summary>Filters and paging for the event log; every filter is optional.</summary>
public sealed record EventQuery
{
    /// <summary>Only events of this type (see <see cref="EventTypes"/>).</summary>
    public string? Type { get; init; }

    /// <summary>Only events about this connection.</summary>
    public string? ConnectionId { get; init; }

    /// <summary>Start after this cursor (a previous page's NextCursor, or the last event id you processed).</summary>
    public string? Cursor { get; init; }

    /// <summary>Page size, 1 to 500 (server default 100).</summary>
    public int? Limit { get; init; }
}

/// <summary>Event types AdoBridge records today; more will come (pull requests, work items…).</summary>
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
}

namespace AdoBridge.Client;

/// <summary>What to stream from GET /v1/events/stream, and how to reconnect; every setting is optional.</summary>
public sealed record EventStreamRequest
{
    /// <summary>Only these event types; families such as <c>pull_request.*</c> and <c>*</c> work too.</summary>
    public IReadOnlyList<string>? Types { get; init; }

    /// <summary>Only events about this connection.</summary>
    public string? ConnectionId { get; init; }

    /// <summary>
    /// Start after this cursor (a <see cref="StreamedEvent.Cursor"/> you kept, <c>0</c> for the oldest stored event, or an
    /// event id); null starts now.
    /// </summary>
    public string? Cursor { get; init; }

    /// <summary>The first wait before reconnecting after the stream broke; doubled each failed try up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest wait between reconnection attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Reconnect when nothing, not even a keep-alive, arrived for this long (the server sends one every 15 s when idle).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>Called each time the stream is (re)connected, with the cursor it resumes after: keep it to resume later.</summary>
    public Action<string>? Connected { get; init; }

    /// <summary>Called when the stream broke and will be reconnected, with what went wrong.</summary>
    public Action<Exception>? Disconnected { get; init; }
}

/// <summary>One entry of the event stream.</summary>
/// <param name="Cursor">Where this entry sits: pass it as <see cref="EventStreamRequest.Cursor"/> to resume right after it.</param>
/// <param name="IsReplay">True when the entry is a replay of an event someone asked for (POST /v1/events/{id}/replay), not its first arrival.</param>
/// <param name="Event">The event, as in the event log.</param>
public sealed record StreamedEvent(string Cursor, bool IsReplay, AdoBridgeEvent Event);

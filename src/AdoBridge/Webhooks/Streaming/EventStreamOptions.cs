namespace AdoBridge.Webhooks.Streaming;

/// <summary>Settings of the event stream (GET /v1/events/stream), under `AdoBridge:EventStream`.</summary>
internal sealed class EventStreamOptions
{
    public const string Section = "AdoBridge:EventStream";

    /// <summary>How many streams one API key may hold open at once; one more is refused with 429 `too_many_streams`.</summary>
    public int MaxStreamsPerKey { get; set; } = 5;

    /// <summary>How often an idle stream sends a comment line, so proxies and load balancers keep it open.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How often each instance looks for events committed by other instances (PostgreSQL), and numbers any an instance left
    /// unnumbered. Events committed in this process reach its streams at once, without waiting for this.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many entries a stream reads from the database at a time.</summary>
    public int PageSize { get; set; } = 200;
}

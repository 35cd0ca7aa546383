using AdoBridge.Webhooks.Delivery;

namespace AdoBridge.Cli.Listen;

/// <summary>What `adobridge listen` does: which server and key, where to forward, which events, and where it keeps its place.</summary>
internal sealed class ListenOptions
{
    /// <summary>AdoBridge's base URL.</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>The API key (its environment's events are streamed).</summary>
    public required string ApiKey { get; init; }

    /// <summary>The local URL each event is posted to, e.g. http://localhost:3000/hooks.</summary>
    public required Uri ForwardTo { get; init; }

    /// <summary>Only these event types (`pull_request.*` works); null for all.</summary>
    public IReadOnlyList<string>? Events { get; init; }

    /// <summary>Only events about this connection.</summary>
    public string? ConnectionId { get; init; }

    /// <summary>
    /// The file that keeps the cursor of the last event forwarded, so a new run resumes after it; null keeps the place in
    /// memory only (a run still survives disconnects and server restarts, but a new run starts from now).
    /// </summary>
    public string? StateFile { get; init; }

    /// <summary>The Standard Webhooks secret the forwarded requests are signed with; made at start unless given. Print it for the local app.</summary>
    public string Secret { get; init; } = SigningKey.NewSecret();

    /// <summary>How long the local app may take to answer one event.</summary>
    public TimeSpan ForwardTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Called each time the stream is (re)connected, with the cursor it resumes after.</summary>
    public Action<string>? Connected { get; init; }

    /// <summary>Called when the stream broke (server restarting, network) and is being reconnected.</summary>
    public Action<Exception>? Disconnected { get; init; }

    /// <summary>For tests: the handler under the HTTP clients (to AdoBridge and to the local app).</summary>
    public HttpMessageHandler? Handler { get; init; }
}

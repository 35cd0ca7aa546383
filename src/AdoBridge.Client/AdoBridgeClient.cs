namespace AdoBridge.Client;

/// <summary>The entry point to AdoBridge's HTTP API, grouped by area: <c>client.Connections</c>, <c>client.Admin.Apps</c>, …</summary>
/// <remarks>
/// Thread-safe; keep one per API key. Give it an HttpClient from IHttpClientFactory
/// (<c>services.AddHttpClient&lt;AdoBridgeClient&gt;(…)</c>) or one you keep for the life of the process.
/// A call AdoBridge refuses, or an answer that is not AdoBridge's, throws <see cref="AdoBridgeApiException"/>;
/// network failures stay <see cref="HttpRequestException"/> and timeouts <see cref="TaskCanceledException"/>.
/// </remarks>
public sealed class AdoBridgeClient
{
    private readonly AdoBridgeTransport transport;

    /// <summary>Creates a client over <paramref name="http"/>; the base address and API key come from <paramref name="options"/> or the HttpClient.</summary>
    public AdoBridgeClient(HttpClient http, AdoBridgeClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        transport = new AdoBridgeTransport(http, options ?? new AdoBridgeClientOptions());
        Connections = new ConnectionsClient(transport);
        ConnectSessions = new ConnectSessionsClient(transport);
        Events = new EventsClient(transport);
        WebhookEndpoints = new WebhookEndpointsClient(transport);
        Admin = new AdminClient(transport);
    }

    /// <summary>The connections of this API key's environment: list, get, create (PAT, service principal), delete, tokens.</summary>
    public ConnectionsClient Connections { get; }

    /// <summary>Connect links that send an end user to the hosted connect page.</summary>
    public ConnectSessionsClient ConnectSessions { get; }

    /// <summary>The event log of this API key's environment.</summary>
    public EventsClient Events { get; }

    /// <summary>Where AdoBridge delivers events: register, update, rotate secrets, replay failed deliveries, send a test.</summary>
    public WebhookEndpointsClient WebhookEndpoints { get; }

    /// <summary>Operator endpoints under /v1/admin (apps, API keys, environments…); they need an API key with role admin.</summary>
    public AdminClient Admin { get; }

    /// <summary>Typed Azure DevOps actions as the connection <paramref name="connectionId"/>: projects, pull requests, work items, pipelines…</summary>
    public ConnectionActions Actions(string connectionId) => new(transport, connectionId);

    /// <summary>
    /// The transparent proxy for the connection <paramref name="connectionId"/>: URLs to use instead of Azure DevOps' own,
    /// and an HttpClient (or handler) that adds the API key, so any Azure DevOps client can work through AdoBridge.
    /// </summary>
    public AdoBridgeProxy Proxy(string connectionId) => new(transport.BaseAddress, transport.ApiKey, connectionId);

    /// <summary>Sandbox details (emulated organisation, users, a PAT, the emulator admin token); throws sandbox_disabled outside sandbox mode.</summary>
    public Task<SandboxDetails> GetSandboxAsync(CancellationToken cancellationToken = default)
        => transport.GetAsync("v1/sandbox", AdoBridgeJsonContext.Default.SandboxDetails, cancellationToken);

    /// <summary>
    /// Sandbox mode: makes the emulator do the real thing for <paramref name="eventType"/> (e.g. <c>pull_request.created</c>:
    /// a branch, a commit and a pull request), so the event runs the whole chain to webhooks and event streams. Without
    /// <paramref name="connectionId"/> a sandbox connection is used (or made); its project is subscribed first if needed.
    /// </summary>
    public Task<SandboxTriggerResult> TriggerSandboxEventAsync(string eventType, string? connectionId = null, CancellationToken cancellationToken = default)
        => transport.SendAsync(HttpMethod.Post, "v1/sandbox/trigger",
            AdoBridgeTransport.Json(new SandboxTriggerRequest(eventType, connectionId), AdoBridgeJsonContext.Default.SandboxTriggerRequest),
            AdoBridgeJsonContext.Default.SandboxTriggerResult, cancellationToken);
}

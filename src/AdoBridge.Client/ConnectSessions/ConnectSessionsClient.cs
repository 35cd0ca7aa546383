namespace AdoBridge.Client;

/// <summary>Connect links for end users (/v1/connect-sessions).</summary>
public sealed class ConnectSessionsClient
{
    private readonly AdoBridgeTransport transport;

    internal ConnectSessionsClient(AdoBridgeTransport transport) => this.transport = transport;

    /// <summary>Creates a connect link; the user comes back to the return URL with <c>connectionId</c> and <c>status</c>.</summary>
    public Task<ConnectSession> CreateAsync(CreateConnectSessionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return transport.SendAsync(HttpMethod.Post, "v1/connect-sessions",
            AdoBridgeTransport.Json(request, AdoBridgeJsonContext.Default.CreateConnectSessionRequest), AdoBridgeJsonContext.Default.ConnectSession, cancellationToken);
    }

    /// <summary>Where a connect link stands: pending, completed (with the connection), failed (with why, e.g. <c>consent_declined</c>) or expired.</summary>
    public Task<ConnectSessionState> GetAsync(string id, CancellationToken cancellationToken = default)
        => transport.GetAsync($"v1/connect-sessions/{ApiPath.Segment(id)}", AdoBridgeJsonContext.Default.ConnectSessionState, cancellationToken);
}

namespace AdoBridge.Client;

/// <summary>API keys (/v1/admin/api-keys).</summary>
public sealed class ApiKeysClient
{
    private readonly AdoBridgeTransport transport;

    internal ApiKeysClient(AdoBridgeTransport transport) => this.transport = transport;

    /// <summary>Every key (prefixes only), optionally of one environment.</summary>
    public async Task<IReadOnlyList<ApiKey>> ListAsync(string? environment = null, CancellationToken cancellationToken = default)
        => (await transport.GetAsync(ApiPath.WithQuery("v1/admin/api-keys", ("environment", environment)), AdoBridgeJsonContext.Default.ItemListApiKey, cancellationToken).ConfigureAwait(false)).Items;

    /// <summary>Creates a key bound to one environment; the result holds its value, shown this once.</summary>
    public Task<CreatedApiKey> CreateAsync(CreateApiKeyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return transport.SendAsync(HttpMethod.Post, "v1/admin/api-keys",
            AdoBridgeTransport.Json(request, AdoBridgeJsonContext.Default.CreateApiKeyRequest), AdoBridgeJsonContext.Default.CreatedApiKey, cancellationToken);
    }

    /// <summary>Revokes a key; it stops working at once (within 10 seconds on other instances). A key cannot revoke itself.</summary>
    public Task RevokeAsync(string id, CancellationToken cancellationToken = default)
        => transport.SendAsync(HttpMethod.Delete, $"v1/admin/api-keys/{ApiPath.Segment(id)}", null, cancellationToken);
}

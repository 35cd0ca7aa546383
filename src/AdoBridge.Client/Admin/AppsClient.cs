namespace AdoBridge.Client;

/// <summary>Apps, the auth providers AdoBridge signs users in with (/v1/admin/apps).</summary>
public sealed class AppsClient
{
    private readonly AdoBridgeTransport transport;

    internal AppsClient(AdoBridgeTransport transport) => this.transport = transport;

    /// <summary>Every app, from configuration and the admin API, with its findings.</summary>
    public async Task<IReadOnlyList<App>> ListAsync(CancellationToken cancellationToken = default)
        => (await transport.GetAsync("v1/admin/apps", AdoBridgeJsonContext.Default.ItemListApp, cancellationToken).ConfigureAwait(false)).Items;

    /// <summary>One app; throws <c>app_not_found</c> (404) when there is none by that name.</summary>
    public Task<App> GetAsync(string name, CancellationToken cancellationToken = default)
        => transport.GetAsync($"v1/admin/apps/{ApiPath.Segment(name)}", AdoBridgeJsonContext.Default.App, cancellationToken);

    /// <summary>Creates or replaces an app, applied at once; throws <c>invalid_app_config</c> (400) with <see cref="AdoBridgeApiException.Errors"/> naming each wrong field.</summary>
    public Task<App> PutAsync(string name, AppDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return transport.SendAsync(HttpMethod.Put, $"v1/admin/apps/{ApiPath.Segment(name)}",
            AdoBridgeTransport.Json(definition, AdoBridgeJsonContext.Default.AppDefinition), AdoBridgeJsonContext.Default.App, cancellationToken);
    }

    /// <summary>Deletes an app created through the admin API (apps from configuration are read-only).</summary>
    public Task DeleteAsync(string name, CancellationToken cancellationToken = default)
        => transport.SendAsync(HttpMethod.Delete, $"v1/admin/apps/{ApiPath.Segment(name)}", null, cancellationToken);

    /// <summary>Checks the app's settings and, live, its tenant, client id, secret and redirect URI; <paramref name="tenant"/> tests a multi-tenant app against one tenant.</summary>
    public Task<DoctorReport> DoctorAsync(string name, string? tenant = null, CancellationToken cancellationToken = default)
        => transport.GetAsync(ApiPath.WithQuery($"v1/admin/apps/{ApiPath.Segment(name)}/doctor", ("tenant", tenant)), AdoBridgeJsonContext.Default.DoctorReport, cancellationToken);
}

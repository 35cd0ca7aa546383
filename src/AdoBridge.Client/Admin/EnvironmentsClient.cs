namespace AdoBridge.Client;

/// <summary>Environments (/v1/admin/environments): each has its own connections and API keys.</summary>
public sealed class EnvironmentsClient
{
    private readonly AdoBridgeTransport transport;

    internal EnvironmentsClient(AdoBridgeTransport transport) => this.transport = transport;

    /// <summary>Every environment.</summary>
    public async Task<IReadOnlyList<AdoBridgeEnvironment>> ListAsync(CancellationToken cancellationToken = default)
        => (await transport.GetAsync("v1/admin/environments", AdoBridgeJsonContext.Default.ItemListAdoBridgeEnvironment, cancellationToken).ConfigureAwait(false)).Items;

    /// <summary>Creates an environment; <paramref name="id"/> is lowercase letters, digits and '-', e.g. "staging". Throws <c>environment_exists</c> (409) if taken.</summary>
    public Task<AdoBridgeEnvironment> CreateAsync(string id, string? name = null, CancellationToken cancellationToken = default)
        => transport.SendAsync(HttpMethod.Post, "v1/admin/environments",
            AdoBridgeTransport.Json(new CreateEnvironmentRequest(id, name), AdoBridgeJsonContext.Default.CreateEnvironmentRequest), AdoBridgeJsonContext.Default.AdoBridgeEnvironment, cancellationToken);
}

/// <summary>An environment: a set of connections and the API keys that see them (e.g. sandbox, production).</summary>
/// <param name="Id">The environment's id.</param>
/// <param name="Name">Its display name.</param>
/// <param name="CreatedAt">When it was created.</param>
public sealed record AdoBridgeEnvironment(string Id, string Name, DateTimeOffset CreatedAt);

internal sealed record CreateEnvironmentRequest(string Id, string? Name);

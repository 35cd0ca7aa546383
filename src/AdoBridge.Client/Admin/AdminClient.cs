namespace AdoBridge.Client;

/// <summary>Operator endpoints (/v1/admin); every call needs an API key with role admin, or throws <c>forbidden</c> (403).</summary>
public sealed class AdminClient
{
    private readonly AdoBridgeTransport transport;

    internal AdminClient(AdoBridgeTransport transport)
    {
        this.transport = transport;
        Apps = new AppsClient(transport);
        ApiKeys = new ApiKeysClient(transport);
        Environments = new EnvironmentsClient(transport);
    }

    /// <summary>Apps (auth providers): how AdoBridge signs users in to Azure DevOps.</summary>
    public AppsClient Apps { get; }

    /// <summary>API keys, each bound to one environment.</summary>
    public ApiKeysClient ApiKeys { get; }

    /// <summary>Environments, each with its own connections.</summary>
    public EnvironmentsClient Environments { get; }

    /// <summary>Connections still on a legacy Azure DevOps OAuth app, in every environment, and the Entra apps they can move to.</summary>
    public Task<MigrationReport> GetMigrationReportAsync(CancellationToken cancellationToken = default)
        => transport.GetAsync("v1/admin/migration", AdoBridgeJsonContext.Default.MigrationReport, cancellationToken);

    /// <summary>Starts sealing new secrets with a fresh data-encryption key and returns its id; existing secrets stay readable.</summary>
    public async Task<string> RotateEncryptionKeyAsync(CancellationToken cancellationToken = default)
        => (await transport.SendAsync(HttpMethod.Post, "v1/admin/encryption-keys/rotate", null, AdoBridgeJsonContext.Default.RotatedEncryptionKey, cancellationToken).ConfigureAwait(false)).ActiveKeyId;
}

/// <summary>Connections to move from a legacy Azure DevOps OAuth app to an Entra app.</summary>
/// <param name="Count">How many connections are still on a legacy app.</param>
/// <param name="EntraApps">Valid Entra apps they can reconnect through.</param>
/// <param name="Items">The connections.</param>
public sealed record MigrationReport(int Count, IReadOnlyList<string> EntraApps, IReadOnlyList<MigrationItem> Items);

/// <summary>One connection on a legacy app; reconnect it with a connect session whose reconnectConnectionId is <see cref="ConnectionId"/>.</summary>
/// <param name="ConnectionId">The connection's id.</param>
/// <param name="Environment">The environment it belongs to.</param>
/// <param name="EndUserId">Your product's id for the user.</param>
/// <param name="EndUserDisplayName">Your product's name for the user.</param>
/// <param name="App">The legacy app.</param>
/// <param name="Status">The connection's status.</param>
/// <param name="Organizations">The organisations it reaches.</param>
public sealed record MigrationItem(string ConnectionId, string Environment, string EndUserId, string? EndUserDisplayName, string App, string Status, IReadOnlyList<string> Organizations);

internal sealed record RotatedEncryptionKey(string ActiveKeyId);

internal sealed record ItemList<T>(IReadOnlyList<T> Items);

using AdoBridge.Storage;

namespace AdoBridge.AzureDevOps;

/// <summary>
/// Where the sender gets a connection's credential, and a renewed one after Azure DevOps refused it. The token vault
/// implements it from above, so talking to Azure DevOps does not depend on how tokens are stored and refreshed.
/// </summary>
internal interface IAccessTokenSource
{
    /// <summary>A usable credential for <paramref name="connection"/>, renewed first if it is about to expire.</summary>
    ValueTask<AccessToken> GetAsync(ConnectionEntity connection, CancellationToken ct);

    /// <summary>A renewed credential, unless another caller already replaced <paramref name="staleVersion"/>.</summary>
    Task<AccessToken> RefreshAsync(string connectionId, int? staleVersion, CancellationToken ct);
}

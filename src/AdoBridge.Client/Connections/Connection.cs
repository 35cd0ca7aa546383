namespace AdoBridge.Client;

/// <summary>A connection to Azure DevOps for one end user (or service identity): never a token, but enough to tell whether it works and why not.</summary>
/// <param name="Id">AdoBridge's id for the connection (conn_…); it survives reconnects.</param>
/// <param name="Status">One of <see cref="ConnectionStatus"/>; compare as a string, the server may add values.</param>
/// <param name="StatusReason">Why the connection is not active, in words.</param>
/// <param name="ErrorCode">The Azure DevOps or Entra ID error behind the status (e.g. AADSTS50173).</param>
/// <param name="EndUserId">Your product's id for the user.</param>
/// <param name="EndUserDisplayName">Your product's name for the user.</param>
/// <param name="App">The app (auth provider) the connection signs in with.</param>
/// <param name="AuthType">One of <see cref="Client.AuthType"/>.</param>
/// <param name="Organizations">The Azure DevOps organisations the connection reaches.</param>
/// <param name="ServerUrl">The Azure DevOps Server collection URL; null for Azure DevOps Services.</param>
/// <param name="Identity">Who the connection acts as in Azure DevOps.</param>
/// <param name="Scopes">The granted scopes, space-separated.</param>
/// <param name="AccessTokenExpiresAt">When the current access token expires (null for PATs).</param>
/// <param name="LastRefreshedAt">When AdoBridge last renewed the access token.</param>
/// <param name="CreatedAt">When the connection was created.</param>
/// <param name="UpdatedAt">When the connection last changed.</param>
public sealed record Connection(
    string Id, string Status, string? StatusReason, string? ErrorCode, string EndUserId, string? EndUserDisplayName, string App, string AuthType,
    IReadOnlyList<string> Organizations, string? ServerUrl, ConnectionIdentity? Identity, string? Scopes,
    DateTimeOffset? AccessTokenExpiresAt, DateTimeOffset? LastRefreshedAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>The Azure DevOps identity a connection acts as.</summary>
/// <param name="Id">The identity's id in Azure DevOps.</param>
/// <param name="DisplayName">The identity's display name.</param>
/// <param name="Email">The identity's e-mail or user principal name.</param>
/// <param name="TenantId">The Entra tenant the identity signed in from.</param>
public sealed record ConnectionIdentity(string Id, string? DisplayName, string? Email, string? TenantId);

/// <summary>Connection statuses AdoBridge knows today; the server may add more, so treat unknown values as "not usable".</summary>
public static class ConnectionStatus
{
    /// <summary>Working.</summary>
    public const string Active = "active";

    /// <summary>The user must connect again (refresh token expired or revoked, consent missing): send a connect link with reconnectConnectionId.</summary>
    public const string NeedsReauth = "needs_reauth";

    /// <summary>Access was revoked.</summary>
    public const string Revoked = "revoked";

    /// <summary>AdoBridge cannot use the connection because of the app's configuration; run the app doctor.</summary>
    public const string Error = "error";
}

/// <summary>How a connection signs in to Azure DevOps; the server may add more.</summary>
public static class AuthType
{
    /// <summary>Microsoft Entra ID, delegated (a user signed in).</summary>
    public const string Entra = "entra";

    /// <summary>Legacy Azure DevOps OAuth (being retired by Microsoft).</summary>
    public const string Legacy = "legacy";

    /// <summary>A personal access token.</summary>
    public const string Pat = "pat";

    /// <summary>An app-only service principal.</summary>
    public const string ServicePrincipal = "service-principal";
}

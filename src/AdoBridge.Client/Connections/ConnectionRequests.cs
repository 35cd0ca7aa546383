namespace AdoBridge.Client;

/// <summary>Filters and paging for listing connections; every filter is optional.</summary>
public sealed record ConnectionQuery
{
    /// <summary>Only this end user's connections.</summary>
    public string? EndUserId { get; init; }

    /// <summary>Only connections with this status (see <see cref="ConnectionStatus"/>).</summary>
    public string? Status { get; init; }

    /// <summary>Only connections of this app.</summary>
    public string? App { get; init; }

    /// <summary>Only connections of this auth type (see <see cref="Client.AuthType"/>).</summary>
    public string? AuthType { get; init; }

    /// <summary>Start after this cursor (a previous page's NextCursor).</summary>
    public string? Cursor { get; init; }

    /// <summary>Page size, 1 to 500 (server default 100).</summary>
    public int? Limit { get; init; }
}

/// <summary>A PAT or service-principal connection to create directly; use <see cref="ForPat"/> or <see cref="ForServicePrincipal"/>.</summary>
public sealed record CreateConnectionRequest
{
    /// <summary>"pat" or "service-principal" (see <see cref="Client.AuthType"/>).</summary>
    public required string Type { get; init; }

    /// <summary>Your product's id for the user or service the connection belongs to.</summary>
    public required string EndUserId { get; init; }

    /// <summary>Your product's name for the user.</summary>
    public string? EndUserDisplayName { get; init; }

    /// <summary>The organisation: a name, an https://dev.azure.com/{org} URL, or an Azure DevOps Server collection URL.</summary>
    public required string Organization { get; init; }

    /// <summary>The personal access token (PAT connections only).</summary>
    public string? Pat { get; init; }

    /// <summary>The app to use; defaults to the first valid app of the right type.</summary>
    public string? App { get; init; }

    /// <summary>A connection that uses a personal access token, checked against Azure DevOps before it is saved.</summary>
    public static CreateConnectionRequest ForPat(string endUserId, string organization, string pat)
        => new() { Type = AuthType.Pat, EndUserId = endUserId, Organization = organization, Pat = pat };

    /// <summary>A connection that acts as the service principal of <paramref name="app"/>.</summary>
    public static CreateConnectionRequest ForServicePrincipal(string endUserId, string organization, string app)
        => new() { Type = AuthType.ServicePrincipal, EndUserId = endUserId, Organization = organization, App = app };

    /// <summary>Describes the request without the PAT.</summary>
    public override string ToString()
        => $"CreateConnectionRequest {{ Type = {Type}, EndUserId = {EndUserId}, Organization = {Organization}, App = {App}, Pat = {(Pat is null ? "(none)" : "***")} }}";
}

/// <summary>A valid Azure DevOps credential for a connection, renewed first if it was about to expire.</summary>
/// <param name="Token">The access token (or the PAT, when <see cref="TokenType"/> is "pat").</param>
/// <param name="TokenType">"Bearer" for OAuth tokens, "pat" for personal access tokens (see <see cref="TokenTypes"/>).</param>
/// <param name="ExpiresAt">When the token expires; null for PATs.</param>
/// <param name="ConnectionId">The connection the token belongs to.</param>
public sealed record AccessToken(
    [property: System.Text.Json.Serialization.JsonPropertyName("accessToken")] string Token, string TokenType, DateTimeOffset? ExpiresAt, string ConnectionId)
{
    /// <summary>The Authorization header Azure DevOps expects for this token: Bearer, or Basic with the PAT as password.</summary>
    public System.Net.Http.Headers.AuthenticationHeaderValue ToAuthorizationHeader()
        => string.Equals(TokenType, TokenTypes.Pat, StringComparison.OrdinalIgnoreCase)
            ? new("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(":" + Token)))
            : new("Bearer", Token);

    /// <summary>Describes the token without its value.</summary>
    public override string ToString() => $"AccessToken {{ TokenType = {TokenType}, ExpiresAt = {ExpiresAt}, ConnectionId = {ConnectionId}, Token = *** }}";
}

/// <summary>Token types of <see cref="AccessToken.TokenType"/>.</summary>
public static class TokenTypes
{
    /// <summary>An OAuth access token: send as "Authorization: Bearer …".</summary>
    public const string Bearer = "Bearer";

    /// <summary>A personal access token: send as Basic with an empty user name.</summary>
    public const string Pat = "pat";
}

using AdoBridge.Storage;

namespace AdoBridge.Connections;

/// <summary>A connection as the product sees it: never a token, but enough to tell whether it works and why not.</summary>
internal sealed record ConnectionView(
    string Id, string Status, string? StatusReason, string? ErrorCode, string EndUserId, string? EndUserDisplayName, string App, string AuthType,
    IReadOnlyList<string> Organizations, string? ServerUrl, ConnectionIdentity? Identity, string? Scopes,
    DateTimeOffset? AccessTokenExpiresAt, DateTimeOffset? LastRefreshedAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ConnectionView From(ConnectionEntity c) => new(
        c.Id, c.Status, c.StatusReason, c.StatusErrorCode, c.EndUserId, c.EndUserDisplayName, c.AppName, c.AuthType,
        ConnectionService.OrganizationsOf(c), c.ServerUrl,
        c.IdentityId is null ? null : new ConnectionIdentity(c.IdentityId, c.IdentityName, c.IdentityEmail, c.TenantId),
        c.Scopes, c.AccessTokenExpiresAt, c.LastRefreshedAt, c.CreatedAt, c.UpdatedAt);
}

internal sealed record ConnectionIdentity(string Id, string? DisplayName, string? Email, string? TenantId);

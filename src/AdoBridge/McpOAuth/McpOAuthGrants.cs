using System.Collections.Immutable;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.EntityFrameworkCore.Models;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace AdoBridge.McpOAuth;

/// <summary>A registered MCP client: OpenIddict's id, the client_id it presents, and the name the consent page shows.</summary>
internal sealed record OAuthClient(string Id, string ClientId, string Name);

/// <summary>One MCP token as the admin API lists it.</summary>
internal sealed record McpTokenView(string Id, string Type, string ClientId, string? ClientName, string ConnectionId, string? GrantId, string Status, DateTimeOffset? CreatedAt, DateTimeOffset? ExpiresAt);

/// <summary>The grants (remembered consent, one per client and connection) and tokens behind MCP sign-ins, through OpenIddict's managers.</summary>
internal sealed class McpOAuthGrants(
    IOpenIddictApplicationManager applications,
    IOpenIddictAuthorizationManager authorizations,
    IOpenIddictTokenManager tokens,
    IDbContextFactory<AdoBridgeDbContext> contexts,
    TimeProvider clock)
{
    // How OpenIddict stores the type of a token entry.
    private const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";
    private const string RefreshTokenType = "urn:ietf:params:oauth:token-type:refresh_token";

    public async Task<OAuthClient?> FindClientAsync(string clientId, CancellationToken ct)
    {
        var app = await applications.FindByClientIdAsync(clientId, ct);
        if (app is null)
        {
            return null;
        }

        return new OAuthClient((await applications.GetIdAsync(app, ct))!, clientId, await applications.GetDisplayNameAsync(app, ct) ?? clientId);
    }

    /// <summary>The grant a user gave this client for this connection, if it is still valid.</summary>
    public async Task<string?> FindConsentAsync(string applicationId, string connectionId, CancellationToken ct)
    {
        await foreach (var authorization in authorizations.FindAsync(connectionId, applicationId, Statuses.Valid, AuthorizationTypes.Permanent, ImmutableArray<string>.Empty, ct))
        {
            return await authorizations.GetIdAsync(authorization, ct);
        }

        return null;
    }

    /// <summary>The connection of a grant, if it is this client's, still valid, and covers the requested scopes.</summary>
    public async Task<string?> FindValidConsentAsync(string authorizationId, string applicationId, ImmutableArray<string> scopes, CancellationToken ct)
    {
        var authorization = await authorizations.FindByIdAsync(authorizationId, ct);
        if (authorization is null
            || await authorizations.GetApplicationIdAsync(authorization, ct) != applicationId
            || !await authorizations.HasStatusAsync(authorization, Statuses.Valid, ct)
            || !await authorizations.HasTypeAsync(authorization, AuthorizationTypes.Permanent, ct))
        {
            return null;
        }

        var granted = await authorizations.GetScopesAsync(authorization, ct);
        return scopes.All(granted.Contains) ? await authorizations.GetSubjectAsync(authorization, ct) : null;
    }

    public async Task<string> RememberConsentAsync(string applicationId, string connectionId, CancellationToken ct)
    {
        var authorization = await authorizations.CreateAsync(new OpenIddictAuthorizationDescriptor
        {
            ApplicationId = applicationId,
            Subject = connectionId,
            Status = Statuses.Valid,
            Type = AuthorizationTypes.Permanent,
            CreationDate = clock.GetUtcNow(),
            Scopes = { McpResource.Scope, Scopes.OfflineAccess },
        }, ct);
        return (await authorizations.GetIdAsync(authorization, ct))!;
    }

    /// <summary>The valid, unexpired access and refresh tokens of the connections in an environment, newest first.</summary>
    public async Task<IReadOnlyList<McpTokenView>> ListAsync(string environmentId, string? connectionId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        // Each token's connection looked up by its key (EXISTS), not the environment's connections gathered first (IN):
        // SQLite would build the whole list, 100,000 ids in a large environment, to check a handful of tokens.
        var rows = await db.Set<OpenIddictEntityFrameworkCoreToken>().AsNoTracking()
            .Where(t => t.Subject != null && db.Connections.Any(c => c.Id == t.Subject && c.EnvironmentId == environmentId && (connectionId == null || c.Id == connectionId))
                && t.Status == Statuses.Valid
                && (t.Type == AccessTokenType || t.Type == RefreshTokenType) && (t.ExpirationDate == null || t.ExpirationDate > now))
            .Select(t => new { t.Id, t.Type, t.Subject, t.Status, t.CreationDate, t.ExpirationDate, ClientId = t.Application!.ClientId, ClientName = t.Application.DisplayName, GrantId = t.Authorization!.Id })
            .ToListAsync(ct);
        return rows.OrderByDescending(t => t.CreationDate)
            .Select(t => new McpTokenView(t.Id!, t.Type == AccessTokenType ? TokenTypeHints.AccessToken : TokenTypeHints.RefreshToken, t.ClientId ?? "unknown", t.ClientName, t.Subject!, t.GrantId, t.Status!, Utc(t.CreationDate), Utc(t.ExpirationDate)))
            .ToList();
    }

    /// <summary>Revokes a token with every token of its grant, and the grant (so its consent is asked again). False if it is not this environment's.</summary>
    public async Task<bool> RevokeAsync(string environmentId, string tokenId, CancellationToken ct)
    {
        var token = await tokens.FindByIdAsync(tokenId, ct);
        if (token is null || await tokens.GetSubjectAsync(token, ct) is not { } subject)
        {
            return false;
        }

        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            if (!await db.Connections.AnyAsync(c => c.Id == subject && c.EnvironmentId == environmentId, ct))
            {
                return false;
            }
        }

        await tokens.TryRevokeAsync(token, ct);
        if (await tokens.GetAuthorizationIdAsync(token, ct) is { } grantId)
        {
            await tokens.RevokeByAuthorizationIdAsync(grantId, ct);
            if (await authorizations.FindByIdAsync(grantId, ct) is { } grant)
            {
                await authorizations.TryRevokeAsync(grant, ct);
            }
        }

        return true;
    }

    private static DateTimeOffset? Utc(DateTime? value) => value is null ? null : new DateTimeOffset(DateTime.SpecifyKind(value.Value, DateTimeKind.Utc));
}

using AdoBridge.AzureDevOps;
using AdoBridge.Security;
using AdoBridge.Storage;
using Microsoft.Extensions.Options;

namespace AdoBridge.Tokens;

/// <summary>
/// A connection's tokens as stored: sealed into its row with the secret protector, opened (and the opened token kept in
/// memory) when handed out, and the time of the next renewal. No database access and no calls out: the caller saves.
/// </summary>
internal sealed class SealedTokens(SecretProtector protector, OpenedTokens opened, IOptionsMonitor<TokenOptions> options, TimeProvider clock)
{
    public static string AccessTokenPurpose(string connectionId) => $"connection:{connectionId}:access-token";

    public static string RefreshTokenPurpose(string connectionId) => $"connection:{connectionId}:refresh-token";

    /// <summary>Seals new tokens into the row and schedules the next renewal. The caller saves.</summary>
    public void Store(ConnectionEntity row, TokenResult result)
    {
        var now = clock.GetUtcNow();
        opened.Forget(row.Id);
        row.AccessToken = protector.Protect(result.AccessToken, AccessTokenPurpose(row.Id));
        row.AccessTokenExpiresAt = result.ExpiresAt;
        if (result.RefreshToken is not null)
        {
            row.RefreshToken = protector.Protect(result.RefreshToken, RefreshTokenPurpose(row.Id));
        }

        row.LastRefreshedAt = now;
        row.RefreshFailures = 0;
        row.RefreshLeaseUntil = null;
        row.NextRefreshAt = result.ExpiresAt is { } expires ? NextRefresh(expires, now) : null;
        row.Version++;
        row.UpdatedAt = now;
    }

    public DateTimeOffset NextRefresh(DateTimeOffset expiresAt, DateTimeOffset now)
    {
        var o = options.CurrentValue;
        return o.ProactiveRefresh ? expiresAt - o.RefreshMargin : now + o.KeepAliveInterval;
    }

    public bool IsFresh(ConnectionEntity row)
        => row.AccessToken is not null && (row.AccessTokenExpiresAt is null || row.AccessTokenExpiresAt - options.CurrentValue.RefreshMargin > clock.GetUtcNow());

    /// <summary>Drops the connection's decrypted token from memory (deleted, revoked, or changed elsewhere).</summary>
    public void Forget(string connectionId) => opened.Forget(connectionId);

    public AccessToken Open(ConnectionEntity row)
    {
        if (opened.TryGet(row.Id, row.AccessToken!, row.Version, out var token))
        {
            return token;
        }

        token = new(protector.Unprotect(row.AccessToken!, AccessTokenPurpose(row.Id)), row.AuthType == AuthTypes.Pat ? "Basic" : "Bearer", row.AccessTokenExpiresAt, row.Version);
        opened.Remember(row.Id, row.AccessToken!, token);
        return token;
    }

    /// <summary>The stored refresh token, opened for a renewal.</summary>
    public string OpenRefreshToken(ConnectionEntity row)
        => protector.Unprotect(row.RefreshToken ?? throw new IdentityException(400, "invalid_grant", null, "No refresh token is stored."), RefreshTokenPurpose(row.Id));
}

using System.Collections.Concurrent;
using AdoBridge.Apps;
using AdoBridge.AzureDevOps;
using AdoBridge.Connections;
using AdoBridge.Events;
using AdoBridge.Operations;
using AdoBridge.Security;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdoBridge.Tokens;

/// <summary>A usable credential for a connection.</summary>
internal sealed record AccessToken(string Token, string Scheme, DateTimeOffset? ExpiresAt, int Version)
{
    public DevOpsCredential Credential => Scheme == "Basic" ? DevOpsCredential.Pat(Token) : DevOpsCredential.Bearer(Token);

    public override string ToString() => $"{Scheme} token (version {Version})";
}

/// <summary>The connection cannot give a token until someone acts: the user reconnects, or the operator fixes the app.</summary>
internal sealed class ConnectionUnavailableException(string connectionId, string status, string? reason, string? errorCode)
    : Exception(reason ?? $"Connection {connectionId} is {status}.")
{
    public string ConnectionId { get; } = connectionId;
    public string Status { get; } = status;
    public string? ErrorCode { get; } = errorCode;
}

/// <summary>The identity provider could not renew the token just now and the old one has expired; retrying later may work.</summary>
internal sealed class TokenRefreshUnavailableException(string message) : Exception(message);

/// <summary>
/// Hands out valid access tokens and renews them. However many callers ask at once, one refresh per connection runs:
/// callers in this instance share one task, and instances sharing PostgreSQL serialise on an advisory lock, then
/// find the fresh token the winner stored. Rotated refresh tokens are stored in the same write as the access token.
/// </summary>
internal sealed partial class TokenVault(
    IDbContextFactory<AdoBridgeDbContext> contexts,
    SecretProtector protector,
    AppRegistry apps,
    IdentityClient identity,
    EventRecorder events,
    IOptionsMonitor<TokenOptions> options,
    TimeProvider clock,
    ILogger<TokenVault> logger)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<AccessToken>>> inflight = new(StringComparer.Ordinal);

    public static string AccessTokenPurpose(string connectionId) => $"connection:{connectionId}:access-token";

    public static string RefreshTokenPurpose(string connectionId) => $"connection:{connectionId}:refresh-token";

    /// <summary>A valid token for the connection, renewed first if it is within the refresh margin of expiry.</summary>
    public async Task<AccessToken> GetAsync(ConnectionEntity connection, CancellationToken ct)
    {
        if (connection.Status != ConnectionStatus.Active)
        {
            throw new ConnectionUnavailableException(connection.Id, connection.Status, connection.StatusReason, connection.StatusErrorCode);
        }

        return IsFresh(connection) ? Open(connection) : await RefreshAsync(connection.Id, staleVersion: null, ct);
    }

    /// <summary>
    /// Renews the token. With <paramref name="staleVersion"/>, the caller saw that version rejected (a 401 from Azure DevOps)
    /// and wants a new token unless someone already replaced that version; without it, only a token near expiry is renewed.
    /// </summary>
    public Task<AccessToken> RefreshAsync(string connectionId, int? staleVersion, CancellationToken ct)
    {
        var lazy = inflight.GetOrAdd(connectionId, id => new Lazy<Task<AccessToken>>(() => RunAndForgetAsync(id, staleVersion)));
        return lazy.Value.WaitAsync(ct);
    }

    private async Task<AccessToken> RunAndForgetAsync(string connectionId, int? staleVersion)
    {
        try
        {
            // Not tied to one caller's cancellation: other callers share this task.
            return await RefreshCoreAsync(connectionId, staleVersion, CancellationToken.None);
        }
        finally
        {
            inflight.TryRemove(connectionId, out _);
        }
    }

    private async Task<AccessToken> RefreshCoreAsync(string connectionId, int? staleVersion, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (SchemaMigrator.ProviderOf(db) == StorageProvider.Postgres)
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtextextended({0}, 7))", [connectionId], ct);
        }

        var row = await db.Connections.FirstOrDefaultAsync(c => c.Id == connectionId, ct)
            ?? throw new ConnectionUnavailableException(connectionId, ConnectionStatus.Revoked, "The connection was deleted.", null);
        if (row.Status != ConnectionStatus.Active && row.Status != ConnectionStatus.Error)
        {
            throw new ConnectionUnavailableException(row.Id, row.Status, row.StatusReason, row.StatusErrorCode);
        }

        var replacedSinceSeen = staleVersion is not null && row.Version != staleVersion;
        if (row.Status == ConnectionStatus.Active && row.AccessToken is not null && (row.AuthType == AuthTypes.Pat || replacedSinceSeen || (staleVersion is null && IsFresh(row))))
        {
            return Open(row);
        }

        if (row.AuthType == AuthTypes.Pat)
        {
            // A PAT cannot be renewed by AdoBridge: Azure DevOps refused it, so only its owner can replace it.
            return await MarkAsync(db, tx, row, ConnectionStatus.NeedsReauth, "Azure DevOps no longer accepts this personal access token (expired or revoked). Connect again with a new PAT.", "pat_rejected", ct);
        }

        var app = await apps.GetAsync(row.AppName, ct);
        if (app is null || !app.IsValid)
        {
            return await MarkAsync(db, tx, row, ConnectionStatus.Error, $"App '{row.AppName}' is missing or invalid; fix it in /v1/admin/apps.", "app_unavailable", ct, retry: true);
        }

        TokenResult result;
        try
        {
            result = row.AuthType == AuthTypes.ServicePrincipal
                ? await identity.ClientCredentialsAsync(app, ct)
                : await identity.RefreshAsync(app, protector.Unprotect(row.RefreshToken ?? throw new IdentityException(400, "invalid_grant", null, "No refresh token is stored."), RefreshTokenPurpose(row.Id)), app.RedirectUri, ct);
        }
        catch (IdentityException e) when (e.NeedsUser)
        {
            return await MarkAsync(db, tx, row, ConnectionStatus.NeedsReauth, $"The user must connect again: {e.Description}", e.AadstsCode ?? e.Error, ct);
        }
        catch (IdentityException e)
        {
            return await MarkAsync(db, tx, row, ConnectionStatus.Error, $"The identity provider refused the app's credentials: {e.Description}", e.AadstsCode ?? e.Error, ct, retry: true);
        }
        catch (IdentityUnavailableException e)
        {
            row.RefreshFailures++;
            row.NextRefreshAt = clock.GetUtcNow() + RetryDelay(row.RefreshFailures);
            row.RefreshLeaseUntil = null;
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            LogRefreshDeferred(logger, row.Id, row.RefreshFailures, e.Message);
            if (row.AccessToken is not null && row.AccessTokenExpiresAt > clock.GetUtcNow())
            {
                return Open(row);
            }

            throw new TokenRefreshUnavailableException($"The access token has expired and the identity provider is unavailable ({e.Message}); AdoBridge keeps retrying.");
        }

        Store(row, result);
        row.Status = ConnectionStatus.Active;
        row.StatusReason = null;
        row.StatusErrorCode = null;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Open(row);
    }

    /// <summary>Seals new tokens into the row and schedules the next renewal. The caller saves.</summary>
    public void Store(ConnectionEntity row, TokenResult result)
    {
        var now = clock.GetUtcNow();
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

    private AccessToken Open(ConnectionEntity row)
        => new(protector.Unprotect(row.AccessToken!, AccessTokenPurpose(row.Id)), row.AuthType == AuthTypes.Pat ? "Basic" : "Bearer", row.AccessTokenExpiresAt, row.Version);

    private async Task<AccessToken> MarkAsync(AdoBridgeDbContext db, Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx, ConnectionEntity row,
        string status, string reason, string code, CancellationToken ct, bool retry = false)
    {
        var changed = row.Status != status;
        row.Status = status;
        row.StatusReason = reason;
        row.StatusErrorCode = code;
        row.RefreshLeaseUntil = null;
        row.NextRefreshAt = retry ? clock.GetUtcNow() + options.CurrentValue.MaxRetryDelay : null;
        row.UpdatedAt = clock.GetUtcNow();
        row.Version++;
        if (changed)
        {
            events.Add(db, row.EnvironmentId, status == ConnectionStatus.NeedsReauth ? LifecycleEvents.ConnectionNeedsReauth : LifecycleEvents.ConnectionError, row.Id,
                new { connectionId = row.Id, endUserId = row.EndUserId, status, reason, errorCode = code });
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        LogMarked(logger, row.Id, status, code);
        throw new ConnectionUnavailableException(row.Id, status, reason, code);
    }

    private TimeSpan RetryDelay(int failures)
    {
        var seconds = Math.Min(options.CurrentValue.MaxRetryDelay.TotalSeconds, 15 * Math.Pow(2, Math.Min(failures - 1, 10)));
        return TimeSpan.FromSeconds(seconds * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Token refresh for {ConnectionId} deferred after {Failures} failure(s): {Reason}")]
    private static partial void LogRefreshDeferred(ILogger logger, string connectionId, int failures, string reason);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Connection {ConnectionId} is now {Status} ({Code})")]
    private static partial void LogMarked(ILogger logger, string connectionId, string status, string code);
}

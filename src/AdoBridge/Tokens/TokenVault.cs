using System.Collections.Concurrent;
using AdoBridge.Apps;
using AdoBridge.AzureDevOps;
using AdoBridge.Events;
using AdoBridge.Security;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;

namespace AdoBridge.Tokens;

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
/// The background refresher renews whole pages through <see cref="RefreshBatchAsync"/>: token requests in parallel,
/// one database commit per page.
/// </summary>
internal sealed partial class TokenVault(
    IDbContextFactory<AdoBridgeDbContext> contexts,
    SecretProtector protector,
    OpenedTokens opened,
    AppRegistry apps,
    IdentityClient identity,
    EventRecorder events,
    IOptionsMonitor<TokenOptions> options,
    TimeProvider clock,
    ILogger<TokenVault> logger) : IAccessTokenSource
{
    private readonly ConcurrentDictionary<string, Lazy<Task<AccessToken>>> inflight = new(StringComparer.Ordinal);

    public static string AccessTokenPurpose(string connectionId) => $"connection:{connectionId}:access-token";

    public static string RefreshTokenPurpose(string connectionId) => $"connection:{connectionId}:refresh-token";

    /// <summary>A valid token for the connection, renewed first if it is within the refresh margin of expiry.</summary>
    public ValueTask<AccessToken> GetAsync(ConnectionEntity connection, CancellationToken ct)
    {
        if (connection.Status != ConnectionStatus.Active)
        {
            throw new ConnectionUnavailableException(connection.Id, connection.Status, connection.StatusReason, connection.StatusErrorCode);
        }

        // A ValueTask: a fresh token, the common case, is handed back without allocating a task.
        return IsFresh(connection) ? ValueTask.FromResult(Open(connection)) : new ValueTask<AccessToken>(RefreshAsync(connection.Id, staleVersion: null, ct));
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
            return await RefreshOneAsync(connectionId, staleVersion, CancellationToken.None);
        }
        finally
        {
            inflight.TryRemove(connectionId, out _);
        }
    }

    private async Task<AccessToken> RefreshOneAsync(string connectionId, int? staleVersion, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);

        // PostgreSQL: instances serialise on an advisory lock held for the refresh. SQLite serves one instance, whose
        // callers already share one task; holding its single write lock across an HTTP call would stall every writer,
        // so there the row's version (an optimistic concurrency token) guards the write instead.
        await using var tx = await BeginAsync(db, ct);
        if (tx is not null)
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(hashtextextended({0}, 7))", [connectionId], ct);
        }

        var row = await db.Connections.FirstOrDefaultAsync(c => c.Id == connectionId, ct)
            ?? throw new ConnectionUnavailableException(connectionId, ConnectionStatus.Revoked, "The connection was deleted.", null);
        var outcome = await RenewAsync(row, staleVersion, ct);
        Apply(db, row, outcome);
        try
        {
            await SaveAsync(db, tx, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another process renewed it meanwhile (SQLite shared by two processes): use what it stored.
            await using var again = await contexts.CreateDbContextAsync(ct);
            return Result(await again.Connections.AsNoTracking().FirstAsync(c => c.Id == connectionId, ct), Outcome.Unchanged);
        }

        return Result(row, outcome);
    }

    /// <summary>
    /// Renews the due connections among <paramref name="ids"/>: token requests run in parallel, results are written in one
    /// commit. Connections another caller is already renewing are left to that caller. Returns how many were renewed.
    /// </summary>
    public async Task<int> RefreshBatchAsync(IReadOnlyList<string> ids, int concurrency, CancellationToken ct)
    {
        var claimed = new Dictionary<string, TaskCompletionSource<AccessToken>>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var done = new TaskCompletionSource<AccessToken>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (inflight.TryAdd(id, new Lazy<Task<AccessToken>>(() => done.Task)))
            {
                claimed[id] = done;
            }
        }

        var renewed = 0;
        try
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            await using var tx = await BeginAsync(db, ct);
            var mine = claimed.Keys.ToList();
            if (tx is not null)
            {
                // Skip rows another instance is renewing right now (it holds their lock); it will store the result.
                mine = await db.Database.SqlQueryRaw<string>(
                    "SELECT id AS \"Value\" FROM unnest({0}) AS id WHERE pg_try_advisory_xact_lock(hashtextextended(id, 7))", [claimed.Keys.ToArray()]).ToListAsync(ct);
            }

            var rows = await db.Connections.Where(c => mine.Contains(c.Id)).ToListAsync(ct);
            var outcomes = new ConcurrentDictionary<string, Outcome>(StringComparer.Ordinal);
            await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct },
                async (row, token) => outcomes[row.Id] = await RenewAsync(row, staleVersion: null, token));
            foreach (var row in rows)
            {
                Apply(db, row, outcomes[row.Id]);
                renewed += outcomes[row.Id].Tokens is null ? 0 : 1;
            }

            await SaveAsync(db, tx, ct);
            foreach (var row in rows)
            {
                try
                {
                    claimed[row.Id].TrySetResult(Result(row, outcomes[row.Id]));
                }
                catch (Exception e) when (e is ConnectionUnavailableException or TokenRefreshUnavailableException)
                {
                    claimed[row.Id].TrySetException(e);
                }
            }
        }
        catch (Exception e)
        {
            foreach (var done in claimed.Values)
            {
                done.TrySetException(e);
            }

            throw;
        }
        finally
        {
            foreach (var (id, done) in claimed)
            {
                inflight.TryRemove(id, out _);
                if (!done.Task.IsCompleted)
                {
                    // Skipped above (locked by another instance, or deleted): whoever waits gets what a normal refresh finds.
                    _ = RefreshAsync(id, null, CancellationToken.None).ContinueWith(
                        t => _ = t.IsCompletedSuccessfully ? done.TrySetResult(t.Result) : done.TrySetException(t.Exception?.InnerExceptions ?? [new OperationCanceledException()]),
                        TaskScheduler.Default);
                }
            }
        }

        return renewed;
    }

    /// <summary>What to do with one connection: nothing, new tokens, or a status change. No database access, so it can run in parallel.</summary>
    private async Task<Outcome> RenewAsync(ConnectionEntity row, int? staleVersion, CancellationToken ct)
    {
        if (row.Status != ConnectionStatus.Active && row.Status != ConnectionStatus.Error)
        {
            return Outcome.Unchanged;
        }

        var replacedSinceSeen = staleVersion is not null && row.Version != staleVersion;
        if (row.Status == ConnectionStatus.Active && row.AccessToken is not null && (row.AuthType == AuthTypes.Pat || replacedSinceSeen || (staleVersion is null && IsFresh(row))))
        {
            return Outcome.Unchanged;
        }

        if (row.AuthType == AuthTypes.Pat)
        {
            // A PAT cannot be renewed by AdoBridge: Azure DevOps refused it, so only its owner can replace it.
            return Outcome.Mark(ConnectionStatus.NeedsReauth, "Azure DevOps no longer accepts this personal access token (expired or revoked). Connect again with a new PAT.", "pat_rejected");
        }

        var app = await apps.GetCachedAsync(row.AppName, ct);
        if (app is null || !app.IsValid)
        {
            return Outcome.Mark(ConnectionStatus.Error, $"App '{row.AppName}' is missing or invalid; fix it in /v1/admin/apps.", "app_unavailable", retry: true);
        }

        try
        {
            return new Outcome(row.AuthType == AuthTypes.ServicePrincipal
                ? await identity.ClientCredentialsAsync(app, ct)
                : await identity.RefreshAsync(app, protector.Unprotect(row.RefreshToken ?? throw new IdentityException(400, "invalid_grant", null, "No refresh token is stored."), RefreshTokenPurpose(row.Id)), app.RedirectUri, ct));
        }
        catch (IdentityException e) when (e.NeedsUser)
        {
            return Outcome.Mark(ConnectionStatus.NeedsReauth, $"The user must connect again: {e.Description}", e.AadstsCode ?? e.Error);
        }
        catch (IdentityException e)
        {
            return Outcome.Mark(ConnectionStatus.Error, $"The identity provider refused the app's credentials: {e.Description}", e.AadstsCode ?? e.Error, retry: true);
        }
        catch (IdentityUnavailableException e)
        {
            return Outcome.Deferred(e.Message);
        }
    }

    /// <summary>Writes an outcome into the tracked row (and the event it calls for); the caller saves.</summary>
    private void Apply(AdoBridgeDbContext db, ConnectionEntity row, Outcome outcome)
    {
        var now = clock.GetUtcNow();
        if (outcome.Tokens is not null || outcome.Status is not null)
        {
            opened.Forget(row.Id);
        }

        if (outcome.Tokens is { } tokens)
        {
            Store(row, tokens);
            row.Status = ConnectionStatus.Active;
            row.StatusReason = null;
            row.StatusErrorCode = null;
        }
        else if (outcome.DeferredReason is { } reason)
        {
            row.RefreshFailures++;
            row.NextRefreshAt = now + RetryDelay(row.RefreshFailures);
            row.RefreshLeaseUntil = null;
            LogRefreshDeferred(logger, row.Id, row.RefreshFailures, reason);
        }
        else if (outcome.Status is { } status)
        {
            if (row.Status != status)
            {
                events.Add(db, row.EnvironmentId, status == ConnectionStatus.NeedsReauth ? LifecycleEvents.ConnectionNeedsReauth : LifecycleEvents.ConnectionError, row.Id,
                    new { connectionId = row.Id, endUserId = row.EndUserId, status, reason = outcome.Reason, errorCode = outcome.Code });
                LogMarked(logger, row.Id, status, outcome.Code!);
            }

            row.Status = status;
            row.StatusReason = outcome.Reason;
            row.StatusErrorCode = outcome.Code;
            row.RefreshLeaseUntil = null;
            row.NextRefreshAt = outcome.Retry ? now + options.CurrentValue.MaxRetryDelay : null;
            row.UpdatedAt = now;
            row.Version++;
        }
    }

    /// <summary>The token to hand out after an outcome was stored, or why there is none.</summary>
    private AccessToken Result(ConnectionEntity row, Outcome outcome)
    {
        if (outcome.Status is { } status)
        {
            throw new ConnectionUnavailableException(row.Id, status, outcome.Reason, outcome.Code);
        }

        if (row.Status != ConnectionStatus.Active || row.AccessToken is null)
        {
            throw new ConnectionUnavailableException(row.Id, row.Status, row.StatusReason, row.StatusErrorCode);
        }

        if (outcome.DeferredReason is not null && row.AccessTokenExpiresAt <= clock.GetUtcNow())
        {
            throw new TokenRefreshUnavailableException($"The access token has expired and the identity provider is unavailable ({outcome.DeferredReason}); AdoBridge keeps retrying.");
        }

        return Open(row);
    }

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

    private AccessToken Open(ConnectionEntity row)
    {
        if (opened.TryGet(row.Id, row.AccessToken!, row.Version, out var token))
        {
            return token;
        }

        token = new(protector.Unprotect(row.AccessToken!, AccessTokenPurpose(row.Id)), row.AuthType == AuthTypes.Pat ? "Basic" : "Bearer", row.AccessTokenExpiresAt, row.Version);
        opened.Remember(row.Id, row.AccessToken!, token);
        return token;
    }

    private static async Task<IDbContextTransaction?> BeginAsync(AdoBridgeDbContext db, CancellationToken ct)
        => SchemaMigrator.ProviderOf(db) == StorageProvider.Postgres ? await db.Database.BeginTransactionAsync(ct) : null;

    private static async Task SaveAsync(AdoBridgeDbContext db, IDbContextTransaction? tx, CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        if (tx is not null)
        {
            await tx.CommitAsync(ct);
        }
    }

    private TimeSpan RetryDelay(int failures)
    {
        var seconds = Math.Min(options.CurrentValue.MaxRetryDelay.TotalSeconds, 15 * Math.Pow(2, Math.Min(failures - 1, 10)));
        return TimeSpan.FromSeconds(seconds * (0.8 + (Random.Shared.NextDouble() * 0.4)));
    }

    /// <summary>The result of trying to renew one connection.</summary>
    private sealed record Outcome(TokenResult? Tokens, string? Status = null, string? Reason = null, string? Code = null, bool Retry = false, string? DeferredReason = null)
    {
        public static readonly Outcome Unchanged = new((TokenResult?)null);

        public static Outcome Mark(string status, string reason, string code, bool retry = false) => new(null, status, reason, code, retry);

        public static Outcome Deferred(string reason) => new(null, DeferredReason: reason);
    }

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "Token refresh for {ConnectionId} deferred after {Failures} failure(s): {Reason}")]
    private static partial void LogRefreshDeferred(ILogger logger, string connectionId, int failures, string reason);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "Connection {ConnectionId} is now {Status} ({Code})")]
    private static partial void LogMarked(ILogger logger, string connectionId, string status, string code);
}

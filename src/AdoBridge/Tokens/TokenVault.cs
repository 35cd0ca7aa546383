using System.Collections.Concurrent;
using AdoBridge.AzureDevOps;
using AdoBridge.Storage;
using AdoBridge.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

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
/// one database commit per page. What a renewal decides is <see cref="TokenRenewer"/>'s; how tokens are sealed in the
/// row and opened is <see cref="SealedTokens"/>'.
/// </summary>
internal sealed class TokenVault(
    IDbContextFactory<AdoBridgeDbContext> contexts,
    SealedTokens tokens,
    TokenRenewer renewer) : IAccessTokenSource
{
    private readonly ConcurrentDictionary<string, Lazy<Task<AccessToken>>> inflight = new(StringComparer.Ordinal);

    public static string AccessTokenPurpose(string connectionId) => SealedTokens.AccessTokenPurpose(connectionId);

    public static string RefreshTokenPurpose(string connectionId) => SealedTokens.RefreshTokenPurpose(connectionId);

    /// <summary>A valid token for the connection, renewed first if it is within the refresh margin of expiry.</summary>
    public ValueTask<AccessToken> GetAsync(ConnectionEntity connection, CancellationToken ct)
    {
        if (connection.Status != ConnectionStatus.Active)
        {
            throw new ConnectionUnavailableException(connection.Id, connection.Status, connection.StatusReason, connection.StatusErrorCode);
        }

        // A ValueTask: a fresh token, the common case, is handed back without allocating a task.
        return tokens.IsFresh(connection) ? ValueTask.FromResult(tokens.Open(connection)) : new ValueTask<AccessToken>(RefreshAsync(connection.Id, staleVersion: null, ct));
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
        var outcome = await renewer.RenewAsync(row, staleVersion, ct);
        renewer.Apply(db, row, outcome);
        try
        {
            await SaveAsync(db, tx, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another process renewed it meanwhile (SQLite shared by two processes): use what it stored.
            await using var again = await contexts.CreateDbContextAsync(ct);
            return renewer.Result(await again.Connections.AsNoTracking().FirstAsync(c => c.Id == connectionId, ct), TokenOutcome.Unchanged);
        }

        return renewer.Result(row, outcome);
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
            var outcomes = new ConcurrentDictionary<string, TokenOutcome>(StringComparer.Ordinal);
            await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = ct },
                async (row, token) => outcomes[row.Id] = await renewer.RenewAsync(row, staleVersion: null, token));
            foreach (var row in rows)
            {
                renewer.Apply(db, row, outcomes[row.Id]);
                renewed += outcomes[row.Id].Tokens is null ? 0 : 1;
            }

            await SaveAsync(db, tx, ct);
            foreach (var row in rows)
            {
                try
                {
                    claimed[row.Id].TrySetResult(renewer.Result(row, outcomes[row.Id]));
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

    /// <summary>Seals new tokens into the row and schedules the next renewal. The caller saves.</summary>
    public void Store(ConnectionEntity row, TokenResult result) => tokens.Store(row, result);

    public DateTimeOffset NextRefresh(DateTimeOffset expiresAt, DateTimeOffset now) => tokens.NextRefresh(expiresAt, now);

    public bool IsFresh(ConnectionEntity row) => tokens.IsFresh(row);

    /// <summary>Drops the connection's decrypted token from memory (deleted, revoked, or changed elsewhere).</summary>
    public void Forget(string connectionId) => tokens.Forget(connectionId);

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
}

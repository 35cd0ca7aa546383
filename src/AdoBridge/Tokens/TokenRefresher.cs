using System.Data.Common;
using AdoBridge.Hosting;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdoBridge.Tokens;

/// <summary>
/// Renews connections before their tokens expire. It claims due connections a page at a time with a short lease
/// (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so instances split the work), renews them with bounded concurrency through
/// the vault's single-flight path, and never holds more than one page in memory.
/// </summary>
internal sealed partial class TokenRefresher(
    IDbContextFactory<AdoBridgeDbContext> contexts,
    TokenVault vault,
    IOptionsMonitor<TokenOptions> options,
    TimeProvider clock,
    StartupGate gate,
    WorkerHeartbeats heartbeats,
    ILogger<TokenRefresher> logger) : PeriodicWorker(WorkerName, gate, heartbeats, clock)
{
    /// <summary>This loop's name in logs and in /readyz (its heartbeat).</summary>
    public const string WorkerName = "token-refresher";

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    /// <summary>Total refreshes attempted by this instance, for benchmarks and health.</summary>
    public long Attempted => Interlocked.Read(ref attempted);

    private long attempted;

    public override TimeSpan? Interval => options.CurrentValue is { RefresherEnabled: true } o ? o.RefresherInterval : null;

    /// <summary>A full page means more are due: go again at once.</summary>
    protected override bool MoreDue => lastClaimed >= options.CurrentValue.RefresherBatchSize;

    private int lastClaimed;

    protected override async Task RunPassAsync(CancellationToken ct)
    {
        lastClaimed = 0;
        lastClaimed = await RunOnceAsync(ct);
    }

    protected override bool OnPassFailed(Exception error)
    {
        if (!StoreFailure.Is(error))
        {
            return false;
        }

        LogPassFailed(logger, error.GetType().Name);
        return true;
    }

    /// <summary>Claims one page of due connections and renews them. Returns how many were claimed.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var o = options.CurrentValue;
        var ids = await ClaimAsync(o.RefresherBatchSize, ct);
        if (ids.Count > 0)
        {
            Interlocked.Add(ref attempted, ids.Count);
            await vault.RefreshBatchAsync(ids, o.RefresherConcurrency, ct);
        }

        return ids.Count;
    }

    private async Task<IReadOnlyList<string>> ClaimAsync(int limit, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = Clock.GetUtcNow();
        var postgres = SchemaMigrator.ProviderOf(db) == StorageProvider.Postgres;
        var sql = postgres
            ? """
              UPDATE connections SET refresh_lease_until = @until
              WHERE id IN (SELECT id FROM connections
                           WHERE next_refresh_at <= @now AND status IN ('active', 'error')
                             AND (refresh_lease_until IS NULL OR refresh_lease_until < @now)
                           ORDER BY next_refresh_at LIMIT @limit FOR UPDATE SKIP LOCKED)
              RETURNING id
              """
            : """
              UPDATE connections SET refresh_lease_until = @until
              WHERE id IN (SELECT id FROM connections
                           WHERE next_refresh_at IS NOT NULL AND next_refresh_at <= @now AND status IN ('active', 'error')
                             AND (refresh_lease_until IS NULL OR refresh_lease_until < @now)
                           ORDER BY next_refresh_at LIMIT @limit)
              RETURNING id
              """;
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        AddParameter(command, "@until", postgres ? now + Lease : AdoBridgeDbContext.SqliteText(now + Lease));
        AddParameter(command, "@now", postgres ? now : AdoBridgeDbContext.SqliteText(now));
        AddParameter(command, "@limit", limit);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    [LoggerMessage(EventId = 310, Level = LogLevel.Warning, Message = "Token refresher pass failed ({ExceptionType}); it will try again")]
    private static partial void LogPassFailed(ILogger logger, string exceptionType);
}

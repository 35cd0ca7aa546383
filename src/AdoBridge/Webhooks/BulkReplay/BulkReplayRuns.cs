using System.Text.Json;
using System.Text.Json.Serialization;
using AdoBridge.Storage;
using AdoBridge.Webhooks.Delivery;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.Webhooks.BulkReplay;

/// <summary>A bulk replay's filter, as stored with the run; every part is optional.</summary>
internal sealed record BulkReplayFilter(
    string? Type, string? ConnectionId, string? Status, DateTimeOffset? Since, DateTimeOffset? Until, string? Source, string? Search)
{
    public EventFilter ToEventFilter(string? cursor) => new(Type, ConnectionId, Status, Since, Until, Source, cursor, 0, Search);

    /// <summary>What the filter asks for, for audit lines: `type=…, status=…`, or "(every event)".</summary>
    public string Describe()
    {
        var parts = new[]
        {
            ("type", Type), ("connection", ConnectionId), ("status", Status), ("since", Since?.ToString("O")), ("until", Until?.ToString("O")),
            ("source", Source), ("search", Search),
        }.Where(p => p.Item2 is not null).Select(p => $"{p.Item1}={p.Item2}").ToList();
        return parts.Count == 0 ? "(every event)" : string.Join(", ", parts);
    }
}

/// <summary>A bulk replay run as the API and the console show it.</summary>
internal sealed record BulkReplayRun(
    string Id, string State, int Total, int Done, string? Through, string? Cursor, BulkReplayFilter Filter, string StartedBy, string? Error,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static BulkReplayRun From(BulkReplayRunEntity e)
        => new(e.Id, e.State, e.Total, e.Done, e.Through, e.Cursor, BulkReplayRuns.ReadFilter(e.Filter), e.StartedBy, e.Error, e.CreatedAt, e.UpdatedAt);
}

/// <summary>A page of runs, newest first.</summary>
internal sealed record BulkReplayRunList(IReadOnlyList<BulkReplayRun> Items, string? NextCursor);

internal static class BulkReplayStates
{
    public const string Running = "running";
    public const string Finished = "finished";
    public const string Cancelled = "cancelled";
    public const string Failed = "failed";
}

/// <summary>
/// Bulk replay runs: started (counted, then stored for the worker), read, listed and cancelled for an environment, and,
/// for <see cref="BulkReplayWorker"/>, claimed by lease and advanced one step at a time. Starts, ends and cancels go to
/// the audit: the console's for a console account, the API's audit log for an API key.
/// </summary>
internal sealed class BulkReplayRuns(
    IDbContextFactory<AdoBridgeDbContext> contexts, EventLog log, SqliteWriteGate writers, BulkReplaySignal signal, TimeProvider clock)
{
    public const string StartedAction = "events.bulk_replay_started";
    public const string FinishedAction = "events.bulk_replay_finished";
    public const string CancelledAction = "events.bulk_replay_cancelled";
    public const string FailedAction = "events.bulk_replay_failed";

    private const string ConsolePrefix = "console:";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>Who started a run from the console.</summary>
    public static string ConsoleActor(string userName) => ConsolePrefix + userName;

    /// <summary>Who started a run through the API.</summary>
    public static string ApiKeyActor(string? keyId) => "api-key:" + (keyId ?? "?");

    public static BulkReplayFilter ReadFilter(string json) => JsonSerializer.Deserialize<BulkReplayFilter>(json, Json) ?? new(null, null, null, null, null, null, null);

    /// <summary>How many events the filter matches now (up to the event <paramref name="upTo"/> when given), and the newest of them.</summary>
    public Task<(int Count, string? LastId)> CountAsync(string environmentId, BulkReplayFilter filter, string? upTo, CancellationToken ct)
        => log.CountAsync(environmentId, filter.ToEventFilter(null), upTo, ct);

    /// <summary>
    /// Counts what the filter matches (up to the event <paramref name="upTo"/> when given) and stores the run for the
    /// worker (already finished when nothing matched), with its start in the audit.
    /// </summary>
    public async Task<BulkReplayRun> StartAsync(
        string environmentId, BulkReplayFilter filter, string startedBy, string? remoteAddress, string? upTo, CancellationToken ct)
    {
        var (count, through) = await CountAsync(environmentId, filter, upTo, ct);
        var now = clock.GetUtcNow();
        var run = new BulkReplayRunEntity
        {
            Id = Ids.New("brr", clock),
            EnvironmentId = environmentId,
            Filter = JsonSerializer.Serialize(filter, Json),
            Through = through,
            Total = count,
            State = through is null ? BulkReplayStates.Finished : BulkReplayStates.Running,
            StartedBy = startedBy,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using var db = await contexts.CreateDbContextAsync(ct);
        using (await writers.EnterAsync(!IsPostgres(db), ct))
        {
            db.BulkReplayRuns.Add(run);
            Audit(db, run, StartedAction, $"{count} events in {environmentId} through {through ?? "(none)"}; filter {filter.Describe()}; run {run.Id}", remoteAddress);
            if (through is null)
            {
                Audit(db, run, FinishedAction, $"0 events in {environmentId}; filter {filter.Describe()}; run {run.Id}", remoteAddress);
            }

            await db.SaveChangesAsync(ct);
        }

        signal.Notify();
        return BulkReplayRun.From(run);
    }

    /// <summary>The run, when it belongs to one of <paramref name="environmentIds"/>.</summary>
    public async Task<(BulkReplayRun Run, string EnvironmentId)?> GetAsync(IReadOnlyCollection<string> environmentIds, string id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.BulkReplayRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        return row is not null && environmentIds.Contains(row.EnvironmentId) ? (BulkReplayRun.From(row), row.EnvironmentId) : null;
    }

    public async Task<BulkReplayRun?> GetAsync(string environmentId, string id, CancellationToken ct)
        => await GetAsync([environmentId], id, ct) is { } found ? found.Run : null;

    /// <summary>The environment's runs, newest first, after <paramref name="cursor"/> (the previous page's last id).</summary>
    public async Task<BulkReplayRunList> ListAsync(string environmentId, string? cursor, int limit, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.BulkReplayRuns.AsNoTracking().Where(r => r.EnvironmentId == environmentId);
        if (cursor is not null)
        {
            query = query.Where(r => string.Compare(r.Id, cursor) < 0);
        }

        var rows = await query.OrderByDescending(r => r.Id).Take(limit + 1).ToListAsync(ct);
        var items = rows.Take(limit).Select(BulkReplayRun.From).ToList();
        return new BulkReplayRunList(items, rows.Count > limit ? items[^1].Id : null);
    }

    /// <summary>
    /// Cancels a running run: the worker takes no step after the one in flight. A run that already ended stays as it is.
    /// Null when there is no such run in the environment.
    /// </summary>
    public async Task<BulkReplayRun?> CancelAsync(string environmentId, string id, string actor, string? remoteAddress, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        using (await writers.EnterAsync(!IsPostgres(db), ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var changed = await db.BulkReplayRuns.Where(r => r.Id == id && r.EnvironmentId == environmentId && r.State == BulkReplayStates.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.State, BulkReplayStates.Cancelled).SetProperty(r => r.UpdatedAt, now), ct);
            var row = await db.BulkReplayRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id && r.EnvironmentId == environmentId, ct);
            if (row is null)
            {
                return null;
            }

            if (changed == 1)
            {
                // Who cancelled, which may be someone else than who started it.
                var cancel = new BulkReplayRunEntity
                {
                    Id = row.Id, EnvironmentId = row.EnvironmentId, Filter = row.Filter, State = row.State, StartedBy = actor,
                };
                Audit(db, cancel, CancelledAction, $"after {row.Done} of {row.Total} events in {environmentId}; filter {ReadFilter(row.Filter).Describe()}; run {row.Id}", remoteAddress);
                await db.SaveChangesAsync(ct);
            }

            await tx.CommitAsync(ct);
            return BulkReplayRun.From(row);
        }
    }

    /// <summary>
    /// Leases a running run to <paramref name="owner"/> until <paramref name="until"/>: the one it holds already, else one
    /// whose lease is free or expired. The lease is taken by a conditional update, so of two instances racing for a run
    /// one wins (PostgreSQL re-checks the condition on the locked row; SQLite has one writer). Null when there is none.
    /// </summary>
    public async Task<BulkReplayRunEntity?> ClaimAsync(string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var candidates = await db.BulkReplayRuns.AsNoTracking()
            .Where(r => r.State == BulkReplayStates.Running && (r.LeaseOwner == owner || r.LeaseUntil == null || r.LeaseUntil < now))
            .OrderBy(r => r.LeaseOwner == owner ? 0 : 1).ThenBy(r => r.Id).Select(r => r.Id).Take(5).ToListAsync(ct);
        foreach (var id in candidates)
        {
            int claimed;
            using (await writers.EnterAsync(!IsPostgres(db), ct))
            {
                claimed = await db.BulkReplayRuns
                    .Where(r => r.Id == id && r.State == BulkReplayStates.Running && (r.LeaseOwner == owner || r.LeaseUntil == null || r.LeaseUntil < now))
                    .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseOwner, owner).SetProperty(r => r.LeaseUntil, until), ct);
            }

            if (claimed == 1)
            {
                return await db.BulkReplayRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
            }
        }

        return null;
    }

    /// <summary>
    /// Saves a step <paramref name="owner"/> took: the cursor, the count, a renewed lease, and the end when
    /// <paramref name="last"/> (audited then). Returns the run's state after it, or null when the lease was lost (the step
    /// was the one in flight when another instance took the run over).
    /// </summary>
    public async Task<string?> SaveStepAsync(BulkReplayRunEntity run, string owner, int replayed, string? next, DateTimeOffset until, CancellationToken ct)
    {
        var last = next is null;
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(ct);
        using (await writers.EnterAsync(!IsPostgres(db), ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var saved = await db.BulkReplayRuns.Where(r => r.Id == run.Id && r.LeaseOwner == owner).ExecuteUpdateAsync(s => s
                // The last step answers no next cursor: the run is done through the newest event it covers.
                .SetProperty(r => r.Cursor, r => next ?? r.Through)
                .SetProperty(r => r.Done, r => r.Done + replayed)
                // Events whose status changed since the count may make the run end before the count, or pass it.
                .SetProperty(r => r.Total, r => r.Total < r.Done + replayed ? r.Done + replayed : r.Total)
                .SetProperty(r => r.UpdatedAt, now)
                .SetProperty(r => r.LeaseUntil, r => last ? null : until)
                .SetProperty(r => r.LeaseOwner, r => last ? null : owner)
                .SetProperty(r => r.State, r => last && r.State == BulkReplayStates.Running ? BulkReplayStates.Finished : r.State), ct);
            if (saved == 0)
            {
                return null;
            }

            var row = await db.BulkReplayRuns.AsNoTracking().FirstAsync(r => r.Id == run.Id, ct);
            if (last && row.State == BulkReplayStates.Finished)
            {
                Audit(db, row, FinishedAction, $"{row.Done} events in {row.EnvironmentId}; filter {ReadFilter(row.Filter).Describe()}; run {row.Id}", null);
                await db.SaveChangesAsync(ct);
            }

            await tx.CommitAsync(ct);
            return row.State;
        }
    }

    /// <summary>Ends a run that cannot go on (its stored filter no longer reads, say), with the reason.</summary>
    public async Task FailAsync(BulkReplayRunEntity run, string owner, string error, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var now = clock.GetUtcNow();
        using (await writers.EnterAsync(!IsPostgres(db), ct))
        {
            var failed = await db.BulkReplayRuns.Where(r => r.Id == run.Id && r.LeaseOwner == owner && r.State == BulkReplayStates.Running).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.State, BulkReplayStates.Failed).SetProperty(r => r.Error, error).SetProperty(r => r.UpdatedAt, now)
                .SetProperty(r => r.LeaseOwner, (string?)null).SetProperty(r => r.LeaseUntil, (DateTimeOffset?)null), ct);
            if (failed == 1)
            {
                Audit(db, run, FailedAction, $"after {run.Done} of {run.Total} events in {run.EnvironmentId}: {error}; run {run.Id}", null);
                await db.SaveChangesAsync(ct);
            }
        }
    }

    /// <summary>Keeps <paramref name="owner"/>'s leases on its running runs while it waits for the delivery backlog to drain.</summary>
    public async Task RenewAsync(string owner, DateTimeOffset until, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        using (await writers.EnterAsync(!IsPostgres(db), ct))
        {
            await db.BulkReplayRuns.Where(r => r.LeaseOwner == owner && r.State == BulkReplayStates.Running)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseUntil, until), ct);
        }
    }

    /// <summary>Gives <paramref name="owner"/>'s leases back (shutting down), so another instance, or this one restarted, goes on at once.</summary>
    public async Task ReleaseAsync(string owner, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        using (await writers.EnterAsync(!IsPostgres(db), ct))
        {
            await db.BulkReplayRuns.Where(r => r.LeaseOwner == owner)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseOwner, (string?)null).SetProperty(r => r.LeaseUntil, (DateTimeOffset?)null), ct);
        }
    }

    /// <summary>How many deliveries wait to be sent, over all environments, counted up to <paramref name="bound"/>.</summary>
    public async Task<int> PendingDeliveriesAsync(int bound, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Deliveries.AsNoTracking().Where(d => d.Status == DeliveryStatus.Pending).Select(d => d.Id).Take(bound).CountAsync(ct);
    }

    private void Audit(AdoBridgeDbContext db, BulkReplayRunEntity run, string action, string detail, string? remoteAddress)
    {
        var now = clock.GetUtcNow();
        if (run.StartedBy.StartsWith(ConsolePrefix, StringComparison.Ordinal))
        {
            var actor = run.StartedBy[ConsolePrefix.Length..];
            db.ConsoleAudit.Add(new ConsoleAuditEntity
            {
                Id = Ids.New("caud", clock),
                CreatedAt = now,
                Actor = actor.Length > 200 ? actor[..200] : actor,
                Action = action,
                Detail = detail.Length > 1000 ? detail[..1000] : detail,
                RemoteAddress = remoteAddress,
            });
        }
        else
        {
            db.AuditLog.Add(new AuditEntity { Id = Ids.New("aud", clock), EnvironmentId = run.EnvironmentId, Action = action, Actor = run.StartedBy, CreatedAt = now });
        }
    }

    private static bool IsPostgres(AdoBridgeDbContext db) => SchemaMigrator.ProviderOf(db) == StorageProvider.Postgres;
}

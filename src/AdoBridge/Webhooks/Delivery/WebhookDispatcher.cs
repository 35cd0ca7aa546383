using AdoBridge.Hosting;
using AdoBridge.Events;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>
/// Fans stored events out to deliveries: claims undispatched events in id order a page at a time (FOR UPDATE SKIP LOCKED on
/// PostgreSQL so instances split them; one write transaction on SQLite), adds one delivery per matching enabled endpoint
/// of the event's environment, marks the events dispatched and commits, all in one transaction. The insert ignores a
/// delivery that already exists, so a page re-run after a crash never duplicates one.
/// </summary>
internal sealed partial class WebhookDispatcher(
    IDbContextFactory<AdoBridgeDbContext> contexts,
    SqliteWriteGate writers,
    DeliveryFanOut fanOut,
    EventSignal events,
    DeliverySignal sender,
    IOptionsMonitor<WebhookDeliveryOptions> options,
    TimeProvider clock,
    StartupGate gate,
    WorkerHeartbeats heartbeats,
    ILogger<WebhookDispatcher> logger) : PeriodicWorker(WorkerName, gate, heartbeats, clock)
{
    /// <summary>This loop's name in logs and in /readyz (its heartbeat).</summary>
    public const string WorkerName = "webhook-dispatcher";

    public override TimeSpan? Interval => options.CurrentValue is { Enabled: true } o ? o.PollInterval : null;

    /// <summary>A full page means more are waiting: go again at once.</summary>
    protected override bool MoreDue => lastClaimed >= options.CurrentValue.DispatchBatchSize;

    private int lastClaimed;

    /// <summary>Ingest and the API wake the dispatcher when they store an undispatched event.</summary>
    protected override Task WaitAsync(TimeSpan interval, CancellationToken ct) => events.WaitAsync(interval, ct);

    protected override async Task RunPassAsync(CancellationToken ct)
    {
        lastClaimed = 0;
        lastClaimed = await DispatchOnceAsync(ct);
    }

    protected override bool OnPassFailed(Exception error)
    {
        // Keep dispatching whatever went wrong (database away, a bug): the events stay undispatched until a pass succeeds.
        if (error is OutOfMemoryException)
        {
            return false;
        }

        LogPassFailed(logger, error.GetType().Name);
        return true;
    }

    /// <summary>Dispatches one page of events; returns how many events it claimed.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100", Justification = "The statement is composed of constant text and parameter names AdoBridge generates; values go in as parameters.")]
    public async Task<int> DispatchOnceAsync(CancellationToken ct)
    {
        var o = options.CurrentValue;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var sql = new Sql(db);
        if (!sql.Postgres)
        {
            // Ingest stores its events already dispatched, so on SQLite there is rarely anything here (lifecycle events,
            // events stored before an endpoint existed): look without the write lock first, which every commit needs.
            await using var any = await sql.CommandAsync("SELECT 1 FROM events WHERE dispatched_at IS NULL LIMIT 1", ct);
            if (await any.ExecuteScalarAsync(ct) is null)
            {
                return 0;
            }
        }

        using var turn = await writers.EnterAsync(!sql.Postgres, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var page = new List<(string Id, string EnvironmentId, string Type)>();
        await using (var select = await sql.CommandAsync(
            "SELECT id, environment_id, type FROM events WHERE dispatched_at IS NULL ORDER BY id LIMIT @limit" + (sql.Postgres ? " FOR UPDATE SKIP LOCKED" : ""), ct))
        {
            sql.Add(select, "@limit", o.DispatchBatchSize);
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                page.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
            }
        }

        if (page.Count == 0)
        {
            return 0;
        }

        var now = Clock.GetUtcNow();
        var rows = new List<NewDelivery>();
        foreach (var e in page)
        {
            await fanOut.AddAsync(rows, e.Id, e.EnvironmentId, e.Type, ct);
        }

        await DeliveryRequeue.InsertAsync(sql, rows, now, Clock, ct);

        await using (var mark = await sql.CommandAsync("", ct))
        {
            mark.CommandText = $"UPDATE events SET dispatched_at = @now WHERE id IN {sql.InList(mark, "id", page.Select(p => p.Id).ToList())}";
            sql.Add(mark, "@now", now);
            await mark.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        if (rows.Count > 0)
        {
            sender.Notify();
        }

        return page.Count;
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Warning, Message = "Webhook dispatcher pass failed ({ExceptionType}); it will try again")]
    private static partial void LogPassFailed(ILogger logger, string exceptionType);
}

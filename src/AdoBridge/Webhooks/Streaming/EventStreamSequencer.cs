using System.Globalization;
using AdoBridge.Events;
using AdoBridge.Hosting;
using AdoBridge.Storage;
using AdoBridge.Webhooks.Delivery;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdoBridge.Webhooks.Streaming;

/// <summary>
/// Gives committed events and replays their stream position and tells this instance's streams. On SQLite the position is
/// taken by a trigger inside the writing transaction (one writer at a time, so already in commit order). On PostgreSQL
/// rows commit unnumbered and are numbered here, after their commit, under the counter row's lock, so one instance numbers
/// at a time and each numbering commits before the next starts: positions become visible in order, and a stream that
/// saw position N never later meets a smaller one. Woken at once by commits in this process (<see cref="EventStreamSignal"/>);
/// every <see cref="EventStreamOptions.PollInterval"/> it also reads the counter (one single-row query per instance), which
/// is how streams here learn of other instances' events.
/// </summary>
internal sealed partial class EventStreamSequencer(
    IDbContextFactory<AdoBridgeDbContext> contexts,
    EventStreamSignal signal,
    EventStreamPulse pulse,
    IOptionsMonitor<EventStreamOptions> options,
    StartupGate gate,
    ILogger<EventStreamSequencer> logger) : BackgroundService
{
    private const int Batch = 1000;
    private long known = -1;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await gate.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PassAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The database is away or busy: streams keep their position and catch up at the next pass.
                LogPassFailed(logger, e.GetType().Name);
            }

            await signal.WaitAsync(options.CurrentValue.PollInterval, stoppingToken);
        }
    }

    /// <summary>Numbers what is unnumbered (PostgreSQL), then pulses the streams if the counter moved.</summary>
    public async Task PassAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var sql = new Sql(db);
        if (sql.Postgres)
        {
            while (await NumberAsync(db, sql, ct) == Batch)
            {
            }
        }

        await using var read = await sql.CommandAsync("SELECT value FROM event_sequence WHERE id = 1", ct);
        var value = Convert.ToInt64(await read.ExecuteScalarAsync(ct) ?? 0L, CultureInfo.InvariantCulture);
        if (value != Interlocked.Exchange(ref known, value))
        {
            pulse.Pulse();
        }
    }

    private static async Task<int> NumberAsync(AdoBridgeDbContext db, Sql sql, CancellationToken ct)
    {
        // Look without the lock first: nearly every pass finds nothing.
        await using (var any = await sql.CommandAsync("SELECT 1 FROM events WHERE seq IS NULL UNION ALL SELECT 1 FROM event_replays WHERE seq IS NULL LIMIT 1", ct))
        {
            if (await any.ExecuteScalarAsync(ct) is null)
            {
                return 0;
            }
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        long value;
        await using (var lockRow = await sql.CommandAsync("SELECT value FROM event_sequence WHERE id = 1 FOR UPDATE", ct))
        {
            value = Convert.ToInt64(await lockRow.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
        }

        // Read after the lock: a new statement sees what the previous numbering committed.
        var rows = new List<(string Id, bool Replay, DateTimeOffset At)>();
        await using (var select = await sql.CommandAsync(
            "(SELECT id, FALSE, created_at FROM events WHERE seq IS NULL ORDER BY id LIMIT @n) UNION ALL (SELECT id, TRUE, created_at FROM event_replays WHERE seq IS NULL ORDER BY id LIMIT @n)", ct))
        {
            sql.Add(select, "@n", Batch);
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetString(0), reader.GetBoolean(1), await reader.GetFieldValueAsync<DateTimeOffset>(2, ct)));
            }
        }

        rows = [.. rows.OrderBy(r => r.At).ThenBy(r => r.Id, StringComparer.Ordinal).Take(Batch)];
        if (rows.Count == 0)
        {
            await tx.RollbackAsync(ct);
            return 0;
        }

        var events = rows.Select((r, i) => (r, Seq: value + i + 1)).Where(x => !x.r.Replay).ToList();
        var replays = rows.Select((r, i) => (r, Seq: value + i + 1)).Where(x => x.r.Replay).ToList();
        foreach (var (table, list) in new[] { ("events", events), ("event_replays", replays) })
        {
            if (list.Count == 0)
            {
                continue;
            }

            await using var update = await sql.CommandAsync(
                $"UPDATE {table} SET seq = v.seq FROM (SELECT unnest(@ids) AS id, unnest(@seqs) AS seq) AS v WHERE {table}.id = v.id AND {table}.seq IS NULL", ct);
            sql.Add(update, "@ids", list.Select(x => x.r.Id).ToArray());
            sql.Add(update, "@seqs", list.Select(x => x.Seq).ToArray());
            await update.ExecuteNonQueryAsync(ct);
        }

        await using (var advance = await sql.CommandAsync("UPDATE event_sequence SET value = @v WHERE id = 1", ct))
        {
            sql.Add(advance, "@v", value + rows.Count);
            await advance.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return rows.Count;
    }

    [LoggerMessage(EventId = 560, Level = LogLevel.Warning, Message = "Event stream sequencer pass failed ({ExceptionType}); it will try again")]
    private static partial void LogPassFailed(ILogger logger, string exceptionType);
}

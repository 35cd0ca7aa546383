using System.Globalization;
using AdoBridge.Storage;
using AdoBridge.Webhooks.Delivery;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.Webhooks.Streaming;

/// <summary>One entry of the stream: an event at its position, or a replay of it at the replay's own position.</summary>
internal sealed record StreamEntry(long Position, bool Replay, EventView Event);

/// <summary>A page of entries after a position; <c>ReadUpTo</c> is where the next page starts (past entries the filters left out).</summary>
internal sealed record StreamPage(IReadOnlyList<StreamEntry> Entries, long ReadUpTo, bool More);

/// <summary>Reads the event stream of one environment: stored events and replays, by position.</summary>
internal sealed class EventStreamReader(IDbContextFactory<AdoBridgeDbContext> contexts)
{
    /// <summary>The newest position given so far: where a stream without a cursor starts.</summary>
    public async Task<long> TailAsync(CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await using var read = await new Sql(db).CommandAsync("SELECT value FROM event_sequence WHERE id = 1", ct);
        return Convert.ToInt64(await read.ExecuteScalarAsync(ct) ?? 0L, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// The position of an event of the environment (so `after=evt_…` works), or null when the environment has no such event.
    /// On PostgreSQL an event commits unnumbered and the sequencer numbers it a moment later; one asked for in that moment
    /// is numbered here and now (the sequencer's own pass, under its lock, so the order stays the commit order).
    /// </summary>
    public async Task<long?> PositionOfAsync(string environmentId, string eventId, EventStreamSequencer sequencer, CancellationToken ct)
    {
        var found = await FindAsync(environmentId, eventId, ct);
        if (found is { Exists: true, Seq: null })
        {
            await sequencer.PassAsync(ct);
            found = await FindAsync(environmentId, eventId, ct);
        }

        return found.Seq;
    }

    private async Task<(bool Exists, long? Seq)> FindAsync(string environmentId, string eventId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.Events.AsNoTracking().Where(e => e.Id == eventId && e.EnvironmentId == environmentId).Select(e => new { e.Seq }).Take(1).ToListAsync(ct);
        return rows.Count == 0 ? (false, null) : (true, rows[0].Seq);
    }

    /// <summary>
    /// Entries after <paramref name="after"/>, oldest first. Events and replays are read in one statement, so one snapshot:
    /// two statements could see a later replay without the earlier event committed in between, and skip that event.
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100", Justification = "The statement is composed of constant text; values go in as parameters.")]
    public async Task<StreamPage> ReadAsync(string environmentId, long after, string? connectionId, IReadOnlyList<string>? types, int limit, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var sql = new Sql(db);
        var connection = connectionId is null ? string.Empty : " AND e.connection_id = @conn";
        var text = $"""
            SELECT seq, event_id, replay, type FROM (
                SELECT * FROM (SELECT e.seq, e.id AS event_id, 0 AS replay, e.type FROM events e
                               WHERE e.environment_id = @env AND e.seq > @after{connection} ORDER BY e.seq LIMIT @n) AS a
                UNION ALL
                SELECT * FROM (SELECT r.seq, r.event_id, 1 AS replay, e.type FROM event_replays r JOIN events e ON e.id = r.event_id
                               WHERE r.environment_id = @env AND r.seq > @after{connection} ORDER BY r.seq LIMIT @n) AS b
            ) AS entries ORDER BY seq LIMIT @n
            """;
        var rows = new List<(long Seq, string EventId, bool Replay, string Type)>();
        await using (var command = await sql.CommandAsync(text, ct))
        {
            sql.Add(command, "@env", environmentId);
            sql.Add(command, "@after", after);
            sql.Add(command, "@n", limit);
            if (connectionId is not null)
            {
                sql.Add(command, "@conn", connectionId);
            }

            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2) == 1, reader.GetString(3)));
            }
        }

        var readUpTo = rows.Count > 0 ? rows[^1].Seq : after;
        var wanted = types is null ? rows : rows.Where(r => EventFilters.Matches(types, r.Type)).ToList();
        if (wanted.Count == 0)
        {
            return new StreamPage([], readUpTo, rows.Count == limit);
        }

        var ids = wanted.Select(r => r.EventId).Distinct(StringComparer.Ordinal).ToList();
        var events = await db.Events.AsNoTracking().Where(e => ids.Contains(e.Id)).ToListAsync(ct);
        var statuses = await EventLog.StatusesAsync(db, events, ct);
        var byId = events.ToDictionary(e => e.Id, StringComparer.Ordinal);
        var entries = wanted.Where(r => byId.ContainsKey(r.EventId))
            .Select(r => new StreamEntry(r.Seq, r.Replay, EventView.From(byId[r.EventId], statuses[r.EventId])))
            .ToList();
        return new StreamPage(entries, readUpTo, rows.Count == limit);
    }
}

using System.Data.Common;
using System.Text.Json;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>A delivery this instance holds the lease on; <see cref="IsProbe"/> marks the one trial request of a half-open circuit.
/// <see cref="Event"/> comes with the claim on PostgreSQL (one round trip); null means the sender reads it.</summary>
internal sealed record ClaimedDelivery(string Id, string EventId, string EndpointId, int Attempts, bool IsProbe, EventEntity? Event = null);

/// <summary>
/// Claims due deliveries with a lease, atomically, so two instances never send the same attempt: one UPDATE … RETURNING
/// that sets lease_owner and lease_until (with FOR UPDATE SKIP LOCKED on PostgreSQL, so instances split the work instead
/// of waiting on each other). A lease that expired (its owner crashed) is claimable again. Per endpoint it takes no more
/// than the endpoint's free slots in this instance, so a slow endpoint's backlog cannot crowd out the others.
/// </summary>
internal sealed class DeliveryClaims(IDbContextFactory<AdoBridgeDbContext> contexts, SqliteWriteGate writers)
{
    private const string Due = "d.status = 'pending' AND d.next_attempt_at <= @now AND (d.lease_until IS NULL OR d.lease_until < @now)";

    private const string Ranked = $$"""
        SELECT d.id, d.next_attempt_at, row_number() OVER (PARTITION BY d.endpoint_id ORDER BY d.next_attempt_at, d.id) AS rn, {0} AS cap
        FROM deliveries d
        JOIN webhook_endpoints e ON e.id = d.endpoint_id
        LEFT JOIN {1} c ON c.key = d.endpoint_id
        WHERE {{Due}} AND e.status = 'enabled' AND e.consecutive_failures < @threshold
        """;

    // PostgreSQL returns the claimed deliveries' events in the same statement, saving the sender a round trip per pass.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1863", Justification = "Formatted once, when the class is first used.")]
    private static readonly string PostgresClaim = $"""
        WITH claimed AS (
        UPDATE deliveries SET lease_owner = @owner, lease_until = @until
        WHERE id IN (
            SELECT d.id FROM deliveries d
            WHERE d.id IN (SELECT ranked.id FROM ({string.Format(Ranked, "COALESCE(CAST(c.value AS integer), @perEndpoint)", "jsonb_each_text(CAST(@caps AS jsonb))")}) ranked
                           WHERE ranked.rn <= ranked.cap ORDER BY ranked.next_attempt_at LIMIT @limit)
              AND {Due}
            FOR UPDATE OF d SKIP LOCKED)
        RETURNING id, event_id, endpoint_id, attempts)
        SELECT c.id, c.event_id, c.endpoint_id, c.attempts,
               e.environment_id, e.type, e.payload, e.created_at, e.connection_id, e.organization, e.project, e.repository, e.source_event_id, e.trace_parent
        FROM claimed c LEFT JOIN events e ON e.id = c.event_id
        """;

    // SQLite ranks only the oldest due deliveries (@scan of them, read in order from the due index) of endpoints with a
    // free slot. Ranking every due delivery, as PostgreSQL does, took about 30 ms a claim with 10,000 waiting, and with
    // no index named, SQLite read every delivery in endpoint order (200 ms at 1.5 million): all of it in the write gate,
    // ahead of ingest. An endpoint whose deliveries lie beyond the window waits a pass: the window's are sent first anyway.
    private const string SqliteClaim = $"""
        UPDATE deliveries SET lease_owner = @owner, lease_until = @until
        WHERE id IN (
            SELECT ranked.id FROM (
                SELECT w.id, w.next_attempt_at, w.cap, row_number() OVER (PARTITION BY w.endpoint_id ORDER BY w.next_attempt_at, w.id) AS rn
                FROM (SELECT d.id, d.endpoint_id, d.next_attempt_at, COALESCE(c.value, @perEndpoint) AS cap
                      FROM deliveries d INDEXED BY ix_deliveries_due
                      JOIN webhook_endpoints e ON e.id = d.endpoint_id
                      LEFT JOIN json_each(@caps) c ON c.key = d.endpoint_id
                      WHERE {Due} AND e.status = 'enabled' AND e.consecutive_failures < @threshold AND COALESCE(c.value, @perEndpoint) > 0
                      ORDER BY d.next_attempt_at LIMIT @scan) w) ranked
            WHERE ranked.rn <= ranked.cap ORDER BY ranked.next_attempt_at LIMIT @limit)
        RETURNING id, event_id, endpoint_id, attempts
        """;

    /// <summary>How many of the oldest due deliveries a SQLite claim ranks for <paramref name="limit"/> slots.</summary>
    internal static int ScanFor(int limit) => Math.Max(1_000, limit * 8);

    // The circuit's open-until doubles as the trial's lease: whoever moves it forward sends the one trial request.
    private const string ProbeEndpoints = $"""
        UPDATE webhook_endpoints SET circuit_open_until = @until
        WHERE status = 'enabled' AND consecutive_failures >= @threshold AND (circuit_open_until IS NULL OR circuit_open_until <= @now)
          AND EXISTS (SELECT 1 FROM deliveries d WHERE d.endpoint_id = webhook_endpoints.id AND {Due})
        RETURNING id
        """;

    private const string ClaimOne = $$"""
        UPDATE deliveries SET lease_owner = @owner, lease_until = @until
        WHERE id IN (SELECT d.id FROM deliveries d WHERE d.endpoint_id = @endpoint AND {{Due}} ORDER BY d.next_attempt_at LIMIT 1 {0})
        RETURNING id, event_id, endpoint_id, attempts
        """;

    // The probe claim per engine: PostgreSQL skips rows another instance has locked; SQLite has one writer anyway.
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1863", Justification = "Formatted once, when the class is first used.")]
    private static readonly string ClaimOnePostgres = string.Format(System.Globalization.CultureInfo.InvariantCulture, ClaimOne, "FOR UPDATE SKIP LOCKED");

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1863", Justification = "Formatted once, when the class is first used.")]
    private static readonly string ClaimOneSqlite = string.Format(System.Globalization.CultureInfo.InvariantCulture, ClaimOne, "");

    /// <summary>Leases up to <paramref name="limit"/> due deliveries of endpoints with a closed circuit, at most
    /// <paramref name="perEndpoint"/> per endpoint, or the endpoint's entry in <paramref name="caps"/> when it has one.</summary>
    public async Task<List<ClaimedDelivery>> ClaimAsync(
        string owner, int limit, int perEndpoint, IReadOnlyDictionary<string, int> caps, int threshold, DateTimeOffset now, DateTimeOffset until, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var sql = new Sql(db);
        if (!sql.Postgres)
        {
            // A lease needs no fsync: lost in a power cut, the delivery is simply claimable again. Every connection
            // open sets synchronous=FULL again (SqlitePragmas), and it is restored below as well.
            await using var relax = await sql.CommandAsync("PRAGMA synchronous=NORMAL", ct);
            await relax.ExecuteNonQueryAsync(ct);
        }

        try
        {
            using var turn = await writers.EnterAsync(!sql.Postgres, ct);
            return await ClaimCoreAsync(sql, owner, limit, perEndpoint, caps, threshold, now, until, ct);
        }
        finally
        {
            if (!sql.Postgres)
            {
                await using var restore = await sql.CommandAsync("PRAGMA synchronous=FULL", CancellationToken.None);
                await restore.ExecuteNonQueryAsync(CancellationToken.None);
            }
        }
    }

    private static async Task<List<ClaimedDelivery>> ClaimCoreAsync(
        Sql sql, string owner, int limit, int perEndpoint, IReadOnlyDictionary<string, int> caps, int threshold, DateTimeOffset now, DateTimeOffset until, CancellationToken ct)
    {
        await using var command = await sql.CommandAsync(sql.Postgres ? PostgresClaim : SqliteClaim, ct);
        sql.Add(command, "@owner", owner);
        sql.Add(command, "@until", until);
        sql.Add(command, "@now", now);
        sql.Add(command, "@limit", limit);
        sql.Add(command, "@perEndpoint", perEndpoint);
        sql.Add(command, "@threshold", threshold);
        sql.Add(command, "@caps", JsonSerializer.Serialize(caps));
        if (!sql.Postgres)
        {
            sql.Add(command, "@scan", ScanFor(limit));
        }

        return await ReadAsync(sql, command, isProbe: false, ct);
    }

    /// <summary>For each endpoint whose open circuit has run its time and has a delivery due, leases one trial delivery.</summary>
    public async Task<List<ClaimedDelivery>> ClaimProbesAsync(string owner, int limit, int threshold, DateTimeOffset now, DateTimeOffset until, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var sql = new Sql(db);
        using var turn = await writers.EnterAsync(!sql.Postgres, ct);
        var endpoints = new List<string>();
        await using (var command = await sql.CommandAsync(ProbeEndpoints, ct))
        {
            sql.Add(command, "@until", until);
            sql.Add(command, "@now", now);
            sql.Add(command, "@threshold", threshold);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                endpoints.Add(reader.GetString(0));
            }
        }

        var claimed = new List<ClaimedDelivery>();
        foreach (var endpoint in endpoints.Take(limit))
        {
            await using var command = await sql.CommandAsync(sql.Postgres ? ClaimOnePostgres : ClaimOneSqlite, ct);
            sql.Add(command, "@owner", owner);
            sql.Add(command, "@until", until);
            sql.Add(command, "@now", now);
            sql.Add(command, "@endpoint", endpoint);
            claimed.AddRange(await ReadAsync(sql, command, isProbe: true, ct));
        }

        return claimed;
    }

    /// <summary>Gives leases back without an attempt (endpoint disabled or gone meanwhile, or shutting down).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA2100", Justification = "The statement is composed of constant text and parameter names AdoBridge generates; values go in as parameters.")]
    public async Task ReleaseAsync(string owner, IReadOnlyList<string> ids, CancellationToken ct)
    {
        if (ids.Count == 0)
        {
            return;
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        var sql = new Sql(db);
        using var turn = await writers.EnterAsync(!sql.Postgres, ct);
        await using var command = await sql.CommandAsync("", ct);
        command.CommandText = $"UPDATE deliveries SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = @owner AND id IN {sql.InList(command, "id", ids)}";
        sql.Add(command, "@owner", owner);
        await command.ExecuteNonQueryAsync(ct);
    }
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1849", Justification = "After ReadAsync the row is buffered (not sequential access): IsDBNull reads memory and cannot block.")]

    private static async Task<List<ClaimedDelivery>> ReadAsync(Sql sql, DbCommand command, bool isProbe, CancellationToken ct)
    {
        var claimed = new List<ClaimedDelivery>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var e = reader.FieldCount > 4 && !reader.IsDBNull(5)
                ? new EventEntity
                {
                    Id = reader.GetString(1),
                    EnvironmentId = reader.GetString(4),
                    Type = reader.GetString(5),
                    Payload = reader.GetString(6),
                    CreatedAt = sql.ReadInstant(reader, 7),
                    ConnectionId = reader.IsDBNull(8) ? null : reader.GetString(8),
                    Organization = reader.IsDBNull(9) ? null : reader.GetString(9),
                    Project = reader.IsDBNull(10) ? null : reader.GetString(10),
                    Repository = reader.IsDBNull(11) ? null : reader.GetString(11),
                    SourceEventId = reader.IsDBNull(12) ? null : reader.GetString(12),
                    // The ingest request's trace context, so the delivery span continues that trace.
                    TraceParent = reader.IsDBNull(13) ? null : reader.GetString(13),
                }
                : null;
            claimed.Add(new ClaimedDelivery(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3), isProbe, e));
        }

        return claimed;
    }
}

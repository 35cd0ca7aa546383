using System.Data.Common;
using System.Threading.Channels;
using AdoBridge.Events;
using AdoBridge.Hosting;
using AdoBridge.Storage;
using AdoBridge.Telemetry;
using AdoBridge.Webhooks.Delivery;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.Webhooks.Ingest;

/// <summary>An event waiting for its commit, and the ingest request waiting for the answer.</summary>
internal sealed record PendingEvent(EventEntity Event, string HookId)
{
    public TaskCompletionSource<bool> Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>
/// Group commit for ingest: concurrent events are written together in one transaction, so a burst costs one fsync per
/// batch rather than per event, and each request is answered only after the batch holding its event is durable.
/// A retried notification (the same Azure DevOps event id for the same connection) is kept once: the insert skips it and
/// reports a duplicate. Another connection's hook receiving the same event stores that connection's own event.
/// Each new event's deliveries are added in the same commit (so it is stored already dispatched): on SQLite a separate
/// dispatcher transaction would contend for the one write lock with every batch.
/// </summary>
internal sealed partial class IngestWriter(
    IDbContextFactory<AdoBridgeDbContext> contexts, SqliteWriteGate writers, DeliveryFanOut fanOut, WebhookSender sender, DeliverySignal deliveries,
    EventStreamSignal stream, TimeProvider clock, WorkerHeartbeats heartbeats, ILogger<IngestWriter> log)
    : BackgroundService
{
    /// <summary>This loop's name in logs and in /readyz (its heartbeat).</summary>
    public const string WorkerName = "ingest-writer";

    /// <summary>How often an idle writer beats its heartbeat; a busy one beats at every batch.</summary>
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(10);

    private const int MaxBatch = 512;
    private const string InsertSql = """
        INSERT INTO events (id, environment_id, type, connection_id, payload, created_at, source, source_event_id, source_event_type,
                            subscription_id, organization, project, repository, raw_payload, dispatched_at, trace_parent)
        VALUES (@id, @env, @type, @conn, @payload, @created, @source, @sid, @stype, @sub, @org, @project, @repo, @raw, @created, @trace)
        ON CONFLICT DO NOTHING
        """;

    // On SQLite each event's stream position is given in its insert, from a range the batch reserves first (see
    // InsertEventsAsync): set by the insert trigger instead, it cost a second write of every row, payloads and all.
    private const string InsertSqliteSql = """
        INSERT INTO events (id, environment_id, type, connection_id, payload, created_at, source, source_event_id, source_event_type,
                            subscription_id, organization, project, repository, raw_payload, dispatched_at, trace_parent, seq)
        VALUES (@id, @env, @type, @conn, @payload, @created, @source, @sid, @stype, @sub, @org, @project, @repo, @raw, @created, @trace, @seq)
        ON CONFLICT DO NOTHING
        """;

    private readonly Channel<PendingEvent> queue = Channel.CreateBounded<PendingEvent>(new BoundedChannelOptions(20_000) { SingleReader = true });

    /// <summary>Queues the event and completes once it is committed: true when stored, false when it was a duplicate.</summary>
    public async Task<bool> WriteAsync(EventEntity e, string hookId, CancellationToken ct)
    {
        var pending = new PendingEvent(e, hookId);
        try
        {
            await queue.Writer.WriteAsync(pending, ct);
        }
        catch (ChannelClosedException)
        {
            throw new IngestUnavailableException("AdoBridge is shutting down.");
        }

        // The request may be cancelled while waiting; the event is committed or not regardless, and Azure DevOps retries.
        return await pending.Committed.Task.WaitAsync(ct);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingEvent>(MaxBatch);
        try
        {
            while (await WaitForEventsAsync(stoppingToken))
            {
                await CommitNextAsync(batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        // The server stops taking requests before hosted services stop, so what is queued now is the last of it:
        // commit it rather than make Azure DevOps send it again.
        queue.Writer.TryComplete();
        while (queue.Reader.Count > 0)
        {
            await CommitNextAsync(batch);
        }
    }

    /// <summary>
    /// Waits until events are queued (false once the queue is closed), beating the heartbeat at every batch and every
    /// <see cref="HeartbeatInterval"/> while idle, so readiness tells a stuck commit from a quiet hour. Under load the wait
    /// completes at once and costs nothing extra.
    /// </summary>
    private async ValueTask<bool> WaitForEventsAsync(CancellationToken ct)
    {
        heartbeats.Beat(WorkerName);
        var ready = queue.Reader.WaitToReadAsync(ct);
        if (ready.IsCompletedSuccessfully)
        {
            return ready.Result;
        }

        var waiting = ready.AsTask();
        while (true)
        {
            try
            {
                return await waiting.WaitAsync(HeartbeatInterval, clock, ct);
            }
            catch (TimeoutException)
            {
                heartbeats.Beat(WorkerName);
            }
        }
    }

    private async Task CommitNextAsync(List<PendingEvent> batch)
    {
        batch.Clear();
        while (batch.Count < MaxBatch && queue.Reader.TryRead(out var item))
        {
            batch.Add(item);
        }

        if (batch.Count == 0)
        {
            return;
        }

        using var activity = TelemetrySpans.StartIngestBatch(batch.Count, batch.Select(b => b.Event.TraceParent));
        try
        {
            // Not cancelled by shutdown: a started commit finishes, so its requests get their answer.
            var (inserted, handOff, unleased) = await InsertAsync(batch, CancellationToken.None);
            if (unleased)
            {
                deliveries.Notify();
            }

            if (inserted.Any(x => x))
            {
                stream.Notify();
            }

            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Committed.TrySetResult(inserted[i]);
                TelemetryInstruments.Ingested(batch[i].Event.Type, inserted[i] ? "accepted" : "duplicate");
            }

            activity?.SetTag(TelemetryTags.BatchStored, inserted.Count(x => x));
            if (handOff is { } h)
            {
                _ = sender.HandOffAsync(h.Claimed, h.Until);
            }
        }
#pragma warning disable CA1031 // whatever failed, the batch answers 503 and the writer keeps running (logged below)
        catch (Exception e)
#pragma warning restore CA1031
        {
            // Whatever went wrong, these requests answer 503 and Azure DevOps retries them; the writer keeps running.
            LogCommitFailed(log, batch.Count, e.GetType().Name, e.Message);
            activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, e.GetType().Name);
            foreach (var item in batch)
            {
                TelemetryInstruments.Ingested(item.Event.Type, "unavailable");
                item.Committed.TrySetException(new IngestUnavailableException("The event store is unavailable."));
            }
        }
        finally
        {
            // The list is reused; left filled, it kept the last batch's events (bodies and payloads, up to 8 MB each)
            // alive until the next event arrived: 1.6 GB, idle, after a burst of 200 large ingests.
            batch.Clear();
        }
    }

    /// <summary>
    /// Stores the batch and its deliveries in one commit. A delivery whose endpoint has room in this instance's sender is
    /// stored leased to it and handed over after the commit (no claim, no wait for the sender's next pass); the rest are
    /// left for claims (<c>Unleased</c>).
    /// </summary>
    private async Task<(bool[] Inserted, (List<ClaimedDelivery> Claimed, DateTimeOffset Until)? HandOff, bool Unleased)> InsertAsync(
        List<PendingEvent> batch, CancellationToken ct)
    {
        var reservedFor = new List<string>();
        try
        {
            return await InsertCoreAsync(batch, reservedFor, ct);
        }
        catch
        {
            sender.Unreserve(reservedFor);
            throw;
        }
    }

    private async Task<(bool[] Inserted, (List<ClaimedDelivery> Claimed, DateTimeOffset Until)? HandOff, bool Unleased)> InsertCoreAsync(
        List<PendingEvent> batch, List<string> reservedFor, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var sqlite = db.Database.IsSqlite();
        var connection = db.Database.GetDbConnection();
        // Ahead of queued background writers: these requests are waiting for their answer.
        using var turn = await writers.EnterAsync(sqlite, ct, ahead: true);
        await using var efTx = await db.Database.BeginTransactionAsync(ct);
        var tx = efTx.GetDbTransaction();
        var inserted = await InsertEventsAsync(connection, tx, sqlite, batch, ct);
        var owed = new List<NewDelivery>();
        for (var i = 0; i < batch.Count; i++)
        {
            if (inserted[i])
            {
                var e = batch[i].Event;
                await fanOut.AddAsync(owed, e.Id, e.EnvironmentId, e.Type, ct);
            }
        }

        foreach (var row in owed)
        {
            if (sender.TryReserve(row.EndpointId))
            {
                row.Leased = true;
                reservedFor.Add(row.EndpointId);
            }
        }

        var lease = sender.HandOffLease();
        var ids = await DeliveryRequeue.InsertAsync(new Sql(db), owed, clock.GetUtcNow(), clock, ct, lease);

        // When each hook last delivered, in the same commit: a second transaction would cost a second fsync.
        await using (var touch = connection.CreateCommand())
        {
            touch.Transaction = tx;
            touch.CommandText = "UPDATE service_hooks SET last_event_at = @now WHERE id = @hook";
            var now = touch.CreateParameter();
            now.ParameterName = "@now";
            now.Value = sqlite ? AdoBridgeDbContext.SqliteText(clock.GetUtcNow()) : clock.GetUtcNow().ToUniversalTime();
            var hook = touch.CreateParameter();
            hook.ParameterName = "@hook";
            touch.Parameters.Add(now);
            touch.Parameters.Add(hook);
            foreach (var hookId in batch.Select(b => b.HookId).Distinct(StringComparer.Ordinal))
            {
                hook.Value = hookId;
                await touch.ExecuteNonQueryAsync(ct);
            }
        }

        await efTx.CommitAsync(ct);
        if (reservedFor.Count == 0)
        {
            return (inserted, null, owed.Count > 0);
        }

        var events = new Dictionary<string, EventEntity>(StringComparer.Ordinal);
        foreach (var pending in batch)
        {
            events.TryAdd(pending.Event.Id, pending.Event);
        }

        var claimed = owed.Select((row, i) => (row, i)).Where(x => x.row.Leased)
            .Select(x => new ClaimedDelivery(ids[x.i], x.row.EventId, x.row.EndpointId, 0, false, events[x.row.EventId])).ToList();
        return (inserted, (claimed, lease.Until), reservedFor.Count < owed.Count);
    }

    private static readonly string[] ParameterNames = ["@id", "@env", "@type", "@conn", "@payload", "@created", "@source", "@sid", "@stype", "@sub", "@org", "@project", "@repo", "@raw", "@trace"];

    private static void Bind(DbParameterCollection p, EventEntity e, bool sqlite)
    {
        p[0].Value = e.Id;
        p[1].Value = e.EnvironmentId;
        p[2].Value = e.Type;
        p[3].Value = (object?)e.ConnectionId ?? DBNull.Value;
        p[4].Value = e.Payload;
        p[5].Value = sqlite ? AdoBridgeDbContext.SqliteText(e.CreatedAt) : e.CreatedAt.ToUniversalTime();
        p[6].Value = e.Source;
        p[7].Value = (object?)e.SourceEventId ?? DBNull.Value;
        p[8].Value = (object?)e.SourceEventType ?? DBNull.Value;
        p[9].Value = (object?)e.SubscriptionId ?? DBNull.Value;
        p[10].Value = (object?)e.Organization ?? DBNull.Value;
        p[11].Value = (object?)e.Project ?? DBNull.Value;
        p[12].Value = (object?)e.Repository ?? DBNull.Value;
        p[13].Value = (object?)e.RawPayload ?? DBNull.Value;
        p[14].Value = (object?)e.TraceParent ?? DBNull.Value;
    }

    /// <summary>
    /// Inserts the batch's events; true for each one stored, false for a duplicate. SQLite runs in process, so one
    /// prepared statement is re-bound per event, each stored event with its stream position; PostgreSQL gets the whole
    /// batch in one round trip (a command batch), and its positions are given after the commit (EventStreamSequencer).
    /// </summary>
    private static async Task<bool[]> InsertEventsAsync(DbConnection connection, DbTransaction tx, bool sqlite, List<PendingEvent> batch, CancellationToken ct)
    {
        var inserted = new bool[batch.Count];
        if (!sqlite)
        {
            await using var many = connection.CreateBatch();
            many.Transaction = tx;
            foreach (var pending in batch)
            {
                var command = many.CreateBatchCommand();
                command.CommandText = InsertSql;
                foreach (var name in ParameterNames)
                {
                    var parameter = command.CreateParameter();
                    parameter.ParameterName = name;
                    command.Parameters.Add(parameter);
                }

                Bind(command.Parameters, pending.Event, sqlite);
                many.BatchCommands.Add(command);
            }

            await many.ExecuteNonQueryAsync(ct);
            for (var i = 0; i < batch.Count; i++)
            {
                inserted[i] = many.BatchCommands[i].RecordsAffected == 1;
            }

            return inserted;
        }

        // SQLite: the batch's stream positions are reserved first, in the transaction's first write (so under the write lock,
        // in commit order), and each stored event takes the next; a duplicate takes none, and what a batch of duplicates
        // reserved and did not use is given back before the commit, so positions stay contiguous.
        long next, reserved;
        await using (var reserve = connection.CreateCommand())
        {
            reserve.Transaction = tx;
            reserve.CommandText = "UPDATE event_sequence SET value = value + @count WHERE id = 1 RETURNING value";
            var count = reserve.CreateParameter();
            count.ParameterName = "@count";
            count.Value = batch.Count;
            reserve.Parameters.Add(count);
            reserved = Convert.ToInt64(await reserve.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
            next = reserved - batch.Count + 1;
        }

        await using var one = connection.CreateCommand();
        one.Transaction = tx;
        one.CommandText = InsertSqliteSql;
        foreach (var name in ParameterNames.Append("@seq"))
        {
            var parameter = one.CreateParameter();
            parameter.ParameterName = name;
            one.Parameters.Add(parameter);
        }

        var seq = one.Parameters[ParameterNames.Length];
        for (var i = 0; i < batch.Count; i++)
        {
            Bind(one.Parameters, batch[i].Event, sqlite);
            seq.Value = next;
            inserted[i] = await one.ExecuteNonQueryAsync(ct) == 1;
            if (inserted[i])
            {
                next++;
            }
        }

        if (next <= reserved)
        {
            await using var giveBack = connection.CreateCommand();
            giveBack.Transaction = tx;
            giveBack.CommandText = "UPDATE event_sequence SET value = @value WHERE id = 1";
            var value = giveBack.CreateParameter();
            value.ParameterName = "@value";
            value.Value = next - 1;
            giveBack.Parameters.Add(value);
            await giveBack.ExecuteNonQueryAsync(ct);
        }

        return inserted;
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Error, Message = "Could not commit {Count} ingested events ({ErrorType}: {Error}); answering 503 so Azure DevOps retries.")]
    private static partial void LogCommitFailed(ILogger logger, int count, string errorType, string error);
}

/// <summary>The event could not be stored now; ingest answers 503 so Azure DevOps retries it.</summary>
internal sealed class IngestUnavailableException(string message) : Exception(message);

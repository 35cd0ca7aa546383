using AdoBridge.Events;
using AdoBridge.Storage;
using AdoBridge.Webhooks.Delivery;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>
/// Filters for the event list; every one is optional. <see cref="Search"/> is text the stored data or the raw Azure
/// DevOps payload contains (case-sensitive, so it means the same on SQLite and PostgreSQL).
/// </summary>
internal sealed record EventFilter(
    string? Type, string? ConnectionId, string? Status, DateTimeOffset? Since, DateTimeOffset? Until, string? Source, string? Cursor, int Limit,
    string? Search = null);

/// <summary>Reads the event log (events, their deliveries and attempts) of one environment, and replays events.</summary>
internal sealed class EventLog(
    IDbContextFactory<AdoBridgeDbContext> contexts, EndpointDirectory directory, DeliverySignal sender, EventStreamSignal stream, SqliteWriteGate writers, TimeProvider clock)
{
    /// <summary>Events replayed per transaction: a bulk replay step commits in parts of this size, so ingest's commits go between them.</summary>
    internal const int ReplayChunk = 100;

    public static readonly IReadOnlyList<string> Statuses = ["pending", "delivered", "failed", "dead", "none"];

    public const int MaxSearchLength = 200;

    /// <summary>How far an event's id time may be from its created_at, and more: see <see cref="Matching"/>.</summary>
    internal static readonly TimeSpan IdTimeMargin = TimeSpan.FromMinutes(1);

    public async Task<EventList> ListAsync(string environmentId, EventFilter f, CancellationToken ct)
        => (await ListCoreAsync(environmentId, f, null, ct)).Page;

    /// <summary>
    /// A page of the list that looks at no more than the next <paramref name="window"/> events of the environment after
    /// the cursor, so a search whose text is rare costs a bounded scan per page rather than one of the whole log. When
    /// the window ends before the page is full, <c>WindowEnded</c> is true and the next cursor continues after the window
    /// (the page may then hold fewer events than the limit, or none).
    /// </summary>
    public Task<(EventList Page, bool WindowEnded)> ListWithinAsync(string environmentId, EventFilter f, int window, CancellationToken ct)
        => ListCoreAsync(environmentId, f, window, ct);

    private async Task<(EventList Page, bool WindowEnded)> ListCoreAsync(string environmentId, EventFilter f, int? window, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = Matching(db, environmentId, f);
        string? windowEnd = null;
        if (window is { } size)
        {
            // The window's last event, read from the (environment, id) index alone.
            var ids = db.Events.AsNoTracking().Where(e => e.EnvironmentId == environmentId);
            if (f.Cursor is not null)
            {
                ids = ids.Where(e => string.Compare(e.Id, f.Cursor) > 0);
            }

            windowEnd = await ids.OrderBy(e => e.Id).Select(e => e.Id).Skip(size - 1).FirstOrDefaultAsync(ct);
            if (windowEnd is not null)
            {
                query = query.Where(e => string.Compare(e.Id, windowEnd) <= 0);
            }
        }

        if (f.Cursor is not null)
        {
            query = query.Where(e => string.Compare(e.Id, f.Cursor) > 0);
        }

        var rows = await query.OrderBy(e => e.Id).Take(f.Limit + 1).ToListAsync(ct);
        var page = rows.Take(f.Limit).ToList();
        var statuses = await StatusesAsync(db, page, ct);
        var items = page.Select(e => EventView.From(e, statuses[e.Id])).ToList();
        return rows.Count > f.Limit ? (new EventList(items, page[^1].Id), false)
            : windowEnd is not null ? (new EventList(items, windowEnd), true)
            : (new EventList(items, null), false);
    }

    /// <summary>How many events match the filter (its cursor and limit aside), and the newest of them: a bulk replay stops there.</summary>
    public Task<(int Count, string? LastId)> CountAsync(string environmentId, EventFilter f, CancellationToken ct)
        => CountAsync(environmentId, f, null, ct);

    /// <summary>As <see cref="CountAsync(string, EventFilter, CancellationToken)"/>, of the events up to <paramref name="upTo"/> (an event id) when given.</summary>
    public async Task<(int Count, string? LastId)> CountAsync(string environmentId, EventFilter f, string? upTo, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (f is { Status: DeliveryStatus.Dead, Type: null, ConnectionId: null, Source: null, Since: null, Until: null, Search: null or "" })
        {
            // Every dead event, the usual bulk replay: counted from the partial index of dead deliveries alone (a
            // delivery is in its event's environment), rather than by looking up each of them among the events.
            var dead = db.Deliveries.AsNoTracking().Where(d => d.EnvironmentId == environmentId && d.Status == DeliveryStatus.Dead
                && (upTo == null || string.Compare(d.EventId, upTo) <= 0)).Select(d => d.EventId);
            var deadCount = await dead.Distinct().CountAsync(ct);
            return (deadCount, deadCount == 0 ? null : await dead.OrderByDescending(id => id).FirstOrDefaultAsync(ct));
        }

        var query = Matching(db, environmentId, f);
        if (upTo is not null)
        {
            query = query.Where(e => string.Compare(e.Id, upTo) <= 0);
        }

        var count = await query.CountAsync(ct);
        var last = count == 0 ? null : await query.OrderByDescending(e => e.Id).Select(e => e.Id).FirstOrDefaultAsync(ct);
        return (count, last);
    }

    /// <summary>The events of the environment the filter matches (in any order; its cursor and limit are the caller's).</summary>
    internal static IQueryable<EventEntity> Matching(AdoBridgeDbContext db, string environmentId, EventFilter f)
    {
        var query = db.Events.AsNoTracking().Where(e => e.EnvironmentId == environmentId);
        if (f.Type is { } type)
        {
            query = type.EndsWith(".*", StringComparison.Ordinal)
                ? query.Where(e => e.Type.StartsWith(type.Substring(0, type.Length - 1)))
                : query.Where(e => e.Type == type);
        }

        if (f.ConnectionId is not null)
        {
            query = query.Where(e => e.ConnectionId == f.ConnectionId);
        }

        if (f.Source is not null)
        {
            query = query.Where(e => e.Source == f.Source);
        }

        // An event's id begins with the time it was made (Ids), taken from the same clock as its created_at a moment
        // apart, so a time filter also bounds the id: the list and counts then walk the (environment, id) index over that
        // stretch alone rather than every event of the environment. The margin covers the gap between the two readings
        // (an id keeps the last one's millisecond when the clock steps back up to 5 s); created_at decides.
        if (f.Since is { } since)
        {
            var floor = Ids.Floor("evt", since - IdTimeMargin);
            query = query.Where(e => e.CreatedAt >= since && string.Compare(e.Id, floor) >= 0);
        }

        if (f.Until is { } until)
        {
            var ceiling = Ids.Floor("evt", until + IdTimeMargin);
            query = query.Where(e => e.CreatedAt <= until && string.Compare(e.Id, ceiling) < 0);
        }

        if (f.Search is { Length: > 0 } search)
        {
            query = query.Where(e => e.Payload.Contains(search) || (e.RawPayload != null && e.RawPayload.Contains(search)));
        }

        return WithStatus(db, environmentId, query, f.Status);
    }

    public async Task<EventDetail?> GetAsync(string environmentId, string id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var e = await db.Events.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id && x.EnvironmentId == environmentId, ct);
        if (e is null)
        {
            return null;
        }

        var deliveries = await db.Deliveries.AsNoTracking().Where(d => d.EventId == id).OrderBy(d => d.Id).ToListAsync(ct);
        var attempts = (await db.DeliveryAttempts.AsNoTracking().Where(a => a.EventId == id).ToListAsync(ct))
            .OrderBy(a => a.StartedAt).ThenBy(a => a.Id, StringComparer.Ordinal).ToLookup(a => a.DeliveryId, StringComparer.Ordinal);
        var details = deliveries.Select(d => new DeliveryDetail(
            d.Id, d.EndpointId, DeliveryStatus.Show(d.Status, d.Attempts), d.Attempts, d.Status == DeliveryStatus.Pending ? d.NextAttemptAt : null,
            d.LastStatusCode, d.LastError, d.CreatedAt, d.CompletedAt, attempts[d.Id].Select(AttemptView.From).ToList())).ToList();
        return new EventDetail(e.Id, e.Type, e.Source, e.SourceEventType, e.SourceEventId, e.ConnectionId, e.Organization, e.Project, e.Repository,
            EventJson.Parse(e.Payload), EventJson.ParseRaw(e.RawPayload), StatusOf(e, deliveries.Select(d => (d.Status, d.Attempts))), e.CreatedAt, e.DispatchedAt, details);
    }

    public async Task<DeliveryList> ListDeliveriesAsync(
        string environmentId, string? endpointId, string? status, string? eventId, string? cursor, int limit, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.Deliveries.AsNoTracking().Where(d => d.EnvironmentId == environmentId);
        if (endpointId is not null)
        {
            query = query.Where(d => d.EndpointId == endpointId);
        }

        if (eventId is not null)
        {
            query = query.Where(d => d.EventId == eventId);
        }

        query = status switch
        {
            DeliveryStatus.Pending => query.Where(d => d.Status == DeliveryStatus.Pending && d.Attempts == 0),
            DeliveryStatus.Failed => query.Where(d => d.Status == DeliveryStatus.Pending && d.Attempts > 0),
            null => query,
            _ => query.Where(d => d.Status == status),
        };
        if (cursor is not null)
        {
            query = query.Where(d => string.Compare(d.Id, cursor) > 0);
        }

        var rows = await query.OrderBy(d => d.Id).Take(limit + 1).ToListAsync(ct);
        var items = rows.Take(limit).Select(DeliveryView.From).ToList();
        return new DeliveryList(items, rows.Count > limit ? items[^1].Id : null);
    }

    /// <summary>
    /// Sends the event again with the same webhook-id: re-queues its existing deliveries (to one endpoint, or to all) and
    /// creates deliveries for enabled endpoints that match it now but had none. A replay to all also goes to running event
    /// streams (`listen`), as a replay entry of its own, so it does not disturb their position among ordinary events.
    /// Null when the event or endpoint is not in the environment.
    /// </summary>
    public async Task<ReplayResult?> ReplayAsync(string environmentId, string id, string? endpointId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var e = await db.Events.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id && x.EnvironmentId == environmentId, ct);
        if (e is null || (endpointId is not null && !await db.WebhookEndpoints.AnyAsync(x => x.Id == endpointId && x.EnvironmentId == environmentId, ct)))
        {
            return null;
        }

        await ReplayCoreAsync(db, environmentId, [e], endpointId, ct);
        var deliveries = await db.Deliveries.AsNoTracking().Where(d => d.EventId == id && (endpointId == null || d.EndpointId == endpointId)).OrderBy(d => d.Id).ToListAsync(ct);
        return new ReplayResult(id, deliveries.Select(DeliveryView.From).ToList());
    }

    /// <summary>
    /// Replays, as <see cref="ReplayAsync"/> does to every endpoint, the next <paramref name="limit"/> events the filter
    /// matches after its cursor and up to <paramref name="through"/> (the newest event when the bulk replay was counted,
    /// so events that arrive meanwhile are left alone and the run ends). Returns how many were replayed and the cursor
    /// to continue from, null when nothing is left.
    /// </summary>
    public async Task<(int Replayed, string? NextCursor)> ReplayMatchingAsync(string environmentId, EventFilter f, string through, int limit, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = Matching(db, environmentId, f).Where(e => string.Compare(e.Id, through) <= 0);
        if (f.Cursor is not null)
        {
            query = query.Where(e => string.Compare(e.Id, f.Cursor) > 0);
        }

        var batch = await query.OrderBy(e => e.Id).Take(limit + 1).ToListAsync(ct);
        var replayed = batch.Take(limit).ToList();
        if (replayed.Count > 0)
        {
            await ReplayCoreAsync(db, environmentId, replayed, null, ct);
        }

        return (replayed.Count, batch.Count > limit ? replayed[^1].Id : null);
    }

    private async Task ReplayCoreAsync(AdoBridgeDbContext db, string environmentId, IReadOnlyList<EventEntity> events, string? endpointId, CancellationToken ct)
    {
        var routes = endpointId is null ? await directory.RoutesAsync(environmentId, ct) : null;
        IEnumerable<string> TargetsOf(EventEntity e)
            => endpointId is not null ? [endpointId]
                : e.Type == EventFilters.TestEvent ? []
                : routes!.Where(r => EventFilters.Matches(r.Filters, e.Type)).Select(r => r.Id);

        // In parts, each its own transaction: on SQLite each waits its turn in the write gate with ingest and the sender
        // rather than holding the one write lock for a whole bulk replay step (500 events and their deliveries).
        var postgres = new Sql(db).Postgres;
        foreach (var part in events.Chunk(ReplayChunk))
        {
            using var turn = await writers.EnterAsync(!postgres, ct);
            var now = clock.GetUtcNow();
            var ids = part.Select(e => e.Id).ToList();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var existing = db.Deliveries.Where(d => ids.Contains(d.EventId) && (endpointId == null || d.EndpointId == endpointId));
            await DeliveryRequeue.RequeueAsync(existing, now, ct);
            var targets = part.SelectMany(TargetsOf, (e, t) => new NewDelivery(e.Id, environmentId, t)).ToList();
            await DeliveryRequeue.InsertAsync(new Sql(db), targets, now, clock, ct);
            if (endpointId is null)
            {
                db.EventReplays.AddRange(part.Select(e => new EventReplayEntity { Id = Ids.New("rpl", clock), EventId = e.Id, EnvironmentId = environmentId, CreatedAt = now }));
                await db.SaveChangesAsync(ct);
            }

            await tx.CommitAsync(ct);
        }

        if (endpointId is null)
        {
            stream.Notify();
        }

        sender.Notify();
    }

    private static IQueryable<EventEntity> WithStatus(AdoBridgeDbContext db, string environmentId, IQueryable<EventEntity> query, string? status)
    {
        const string Pending = DeliveryStatus.Pending;
        const string Dead = DeliveryStatus.Dead;
        const string Succeeded = DeliveryStatus.Succeeded;
        var d = db.Deliveries;
        return status switch
        {
            // Dead and retrying deliveries are few, each with a partial index of their event ids: start from those
            // (an IN list) rather than asking every event of the environment whether it has one.
            "dead" => query.Where(e => d.Where(x => x.EnvironmentId == environmentId && x.Status == Dead).Select(x => x.EventId).Contains(e.Id)),
            "failed" => query.Where(e => d.Where(x => x.EnvironmentId == environmentId && x.Status == Pending && x.Attempts > 0).Select(x => x.EventId).Contains(e.Id)
                && !d.Any(x => x.EventId == e.Id && x.Status == Dead)),
            "pending" => query.Where(e => !d.Any(x => x.EventId == e.Id && (x.Status == Dead || (x.Status == Pending && x.Attempts > 0)))
                && (e.DispatchedAt == null || d.Any(x => x.EventId == e.Id && x.Status == Pending))),
            "delivered" => query.Where(e => e.DispatchedAt != null && d.Any(x => x.EventId == e.Id) && !d.Any(x => x.EventId == e.Id && x.Status != Succeeded)),
            "none" => query.Where(e => e.DispatchedAt != null && !d.Any(x => x.EventId == e.Id)),
            _ => query,
        };
    }

    /// <summary>Each event's derived status (see <see cref="EventView"/>), by event id.</summary>
    public static async Task<Dictionary<string, string>> StatusesAsync(AdoBridgeDbContext db, List<EventEntity> page, CancellationToken ct)
    {
        var ids = page.Select(e => e.Id).ToList();
        var rows = await db.Deliveries.AsNoTracking().Where(d => ids.Contains(d.EventId)).Select(d => new { d.EventId, d.Status, d.Attempts }).ToListAsync(ct);
        var byEvent = rows.ToLookup(r => r.EventId, StringComparer.Ordinal);
        return page.ToDictionary(e => e.Id, e => StatusOf(e, byEvent[e.Id].Select(r => (r.Status, r.Attempts))), StringComparer.Ordinal);
    }

    private static string StatusOf(EventEntity e, IEnumerable<(string Status, int Attempts)> deliveries)
    {
        var list = deliveries.ToList();
        if (list.Any(d => d.Status == DeliveryStatus.Dead))
        {
            return "dead";
        }

        if (list.Any(d => d.Status == DeliveryStatus.Pending && d.Attempts > 0))
        {
            return "failed";
        }

        if (e.DispatchedAt is null || list.Any(d => d.Status == DeliveryStatus.Pending))
        {
            return "pending";
        }

        return list.Count > 0 ? "delivered" : "none";
    }
}

using System.Diagnostics.Metrics;
using System.Globalization;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdoBridge.Telemetry;

/// <summary>
/// Gauges read from the database: the delivery backlog and its oldest entry, connections by status, and how long ago
/// subscriptions last received an event. One read serves every gauge, and it is kept for
/// <see cref="TelemetryOptions.GaugeCacheDuration"/>, so scrapes from several collectors cost one set of queries.
/// The meter comes from the host's <see cref="IMeterFactory"/> (named like <see cref="AdoBridgeTelemetry.Meter"/>), so its
/// callbacks end with the host rather than read a disposed database.
/// </summary>
internal sealed partial class StoreGauges
{
    private readonly IDbContextFactory<AdoBridgeDbContext> contexts;
    private readonly TimeProvider clock;
    private readonly TimeSpan cacheFor;
    private readonly ILogger<StoreGauges> log;
    private readonly Lock gate = new();
    private Snapshot? last;

    public StoreGauges(IMeterFactory meters, IDbContextFactory<AdoBridgeDbContext> contexts, TimeProvider clock, IOptions<TelemetryOptions> options, ILogger<StoreGauges> log)
    {
        this.contexts = contexts;
        this.clock = clock;
        this.log = log;
        cacheFor = options.Value.GaugeCacheDuration;
#pragma warning disable CA2000 // the meter factory owns its meters and disposes them with the container
        var meter = meters.Create(AdoBridgeTelemetry.Name);
#pragma warning restore CA2000
        meter.CreateObservableGauge<long>("adobridge.deliveries.pending", () => Read() is { } s ? [new Measurement<long>(s.Pending)] : Array.Empty<Measurement<long>>(),
            "{delivery}", "Deliveries waiting to be sent or retried.");
        meter.CreateObservableGauge<double>("adobridge.deliveries.pending.oldest_age", () => Read() is { Oldest: { } oldest } s ? [new Measurement<double>(Age(s, oldest))] : Array.Empty<Measurement<double>>(),
            "s", "Age of the oldest delivery still pending (0 series when none is).");
        meter.CreateObservableGauge<long>("adobridge.connections", () => Read() is { } s ? s.Connections.Select(c => new Measurement<long>(c.Value, new KeyValuePair<string, object?>(TelemetryTags.Status, c.Key))) : [],
            "{connection}", "Connections by status (active, needs_reauth, revoked, error).");
        meter.CreateObservableGauge<double>("adobridge.subscriptions.last_event_age", ReadSubscriptionAges,
            "s", "Seconds since a subscription last received an event: the longest (stat=max) and shortest (stat=min) among subscriptions that have received one.");
    }

    private sealed record Snapshot(DateTimeOffset ReadAt, long Pending, DateTimeOffset? Oldest, Dictionary<string, long> Connections, DateTimeOffset? QuietestLast, DateTimeOffset? BusiestLast);

    private static double Age(Snapshot s, DateTimeOffset at) => Math.Max(0, (s.ReadAt - at).TotalSeconds);

    private IEnumerable<Measurement<double>> ReadSubscriptionAges()
    {
        if (Read() is not { } s)
        {
            return [];
        }

        var list = new List<Measurement<double>>(2);
        if (s.QuietestLast is { } quietest)
        {
            list.Add(new Measurement<double>(Age(s, quietest), new KeyValuePair<string, object?>(TelemetryTags.Stat, "max")));
        }

        if (s.BusiestLast is { } busiest)
        {
            list.Add(new Measurement<double>(Age(s, busiest), new KeyValuePair<string, object?>(TelemetryTags.Stat, "min")));
        }

        return list;
    }

    private Snapshot? Read()
    {
        lock (gate)
        {
            var now = clock.GetUtcNow();
            if (last is not null && now - last.ReadAt < cacheFor)
            {
                return last;
            }

            try
            {
                last = Query(now);
            }
            catch (Exception e) when (StoreFailure.Is(e))
            {
                // A gauge that cannot be read reports nothing this time; the scrape itself must not fail.
                LogReadFailed(log, e.GetType().Name);
                last = null;
            }

            return last;
        }
    }

    private Snapshot Query(DateTimeOffset now)
    {
        using var db = contexts.CreateDbContext();
        var connection = db.Database.GetDbConnection();
        db.Database.OpenConnection();
        long pending = 0;
        DateTimeOffset? oldest = null;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT COUNT(*), MIN(created_at) FROM deliveries WHERE status = 'pending'";
            using var reader = command.ExecuteReader();
            if (reader.Read())
            {
                pending = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
                oldest = Time(reader.GetValue(1));
            }
        }

        var byStatus = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT status, COUNT(*) FROM connections GROUP BY status";
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                byStatus[reader.GetString(0)] = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
            }
        }

        DateTimeOffset? quietest = null, busiest = null;
        using (var command = connection.CreateCommand())
        {
            // Per subscription, its hooks' latest event; then the longest and shortest silence among subscriptions.
            command.CommandText = """
                SELECT MIN(latest), MAX(latest) FROM (
                    SELECT MAX(last_event_at) AS latest FROM service_hooks WHERE last_event_at IS NOT NULL GROUP BY subscription_id
                ) per_subscription
                """;
            using var reader = command.ExecuteReader();
            if (reader.Read())
            {
                quietest = Time(reader.GetValue(0));
                busiest = Time(reader.GetValue(1));
            }
        }

        return new Snapshot(now, pending, oldest, byStatus, quietest, busiest);
    }

    /// <summary>SQLite keeps times as ISO-8601 text, PostgreSQL as timestamptz.</summary>
    private static DateTimeOffset? Time(object value) => value switch
    {
        string text => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal),
        DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
        DateTimeOffset time => time,
        _ => null,
    };

    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning, Message = "Telemetry gauges could not read the database ({ErrorType}); they report nothing this time.")]
    private static partial void LogReadFailed(ILogger logger, string errorType);
}

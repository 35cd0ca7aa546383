using AdoBridge.Hosting;
using AdoBridge.Connections;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdoBridge.Webhooks.Subscriptions;

/// <summary>Checks every subscription once per <see cref="ServiceHookOptions.HealthCheckInterval"/>. Instances sharing a
/// database claim a subscription by moving its last-checked time first, so each is checked by one of them.</summary>
internal sealed partial class SubscriptionHealthMonitor(
    IDbContextFactory<AdoBridgeDbContext> contexts, SubscriptionHealth health, ConnectionService connections, IOptionsMonitor<ServiceHookOptions> options,
    TimeProvider clock, WorkerHeartbeats heartbeats, ILogger<SubscriptionHealthMonitor> log) : BackgroundService
{
    /// <summary>This loop's name in logs and in /readyz (its heartbeat).</summary>
    public const string WorkerName = "subscription-health-monitor";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            heartbeats.Beat(WorkerName);
            var interval = options.CurrentValue.HealthCheckInterval;
            try
            {
                if (interval > TimeSpan.Zero)
                {
                    await CheckDueAsync(interval, stoppingToken);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSweepFailed(log, e.GetType().Name, e.Message);
            }

            var pause = interval <= TimeSpan.Zero ? TimeSpan.FromMinutes(1) : TimeSpan.FromTicks(Math.Clamp(interval.Ticks / 4, TimeSpan.FromMilliseconds(200).Ticks, TimeSpan.FromMinutes(1).Ticks));
            try
            {
                await Task.Delay(pause, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task CheckDueAsync(TimeSpan interval, CancellationToken ct)
    {
        while (true)
        {
            var now = clock.GetUtcNow();
            var due = now - interval;
            List<(string Id, string EnvironmentId, string ConnectionId, DateTimeOffset? LastCheckedAt)> page;
            await using (var db = await contexts.CreateDbContextAsync(ct))
            {
                page = (await db.Subscriptions.AsNoTracking()
                    .Where(s => s.LastCheckedAt == null || s.LastCheckedAt < due)
                    .OrderBy(s => s.LastCheckedAt).Take(50)
                    .Select(s => new { s.Id, s.EnvironmentId, s.ConnectionId, s.LastCheckedAt })
                    .ToListAsync(ct)).Select(s => (s.Id, s.EnvironmentId, s.ConnectionId, s.LastCheckedAt)).ToList();
            }

            if (page.Count == 0)
            {
                return;
            }

            foreach (var (id, environmentId, connectionId, lastChecked) in page)
            {
                if (!await ClaimAsync(id, lastChecked, now, ct))
                {
                    continue;
                }

                var connection = await connections.FindAsync(environmentId, connectionId, ct);
                if (connection is not null)
                {
                    await health.CheckAsync(connection, id, ct);
                }
            }
        }
    }

    private async Task<bool> ClaimAsync(string id, DateTimeOffset? lastChecked, DateTimeOffset now, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.Subscriptions.Where(s => s.Id == id);
        query = lastChecked is null ? query.Where(s => s.LastCheckedAt == null) : query.Where(s => s.LastCheckedAt == lastChecked);
        return await query.ExecuteUpdateAsync(s => s.SetProperty(x => x.LastCheckedAt, now), ct) == 1;
    }

    [LoggerMessage(EventId = 5204, Level = LogLevel.Error, Message = "Subscription health sweep failed ({ErrorType}: {Error}); it runs again shortly.")]
    private static partial void LogSweepFailed(ILogger logger, string errorType, string error);
}

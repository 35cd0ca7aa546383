using AdoBridge.Hosting;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>Deletes events older than the retention period, with their deliveries and attempts, a page per transaction.</summary>
internal sealed class EventRetention(
    IDbContextFactory<AdoBridgeDbContext> contexts,
    IOptionsMonitor<EventRetentionOptions> options,
    TimeProvider clock,
    StartupGate gate,
    WorkerHeartbeats heartbeats,
    ILogger<EventRetention> logger)
    : RetentionWorker(WorkerName, "events (with their deliveries and attempts)", options, clock, gate, heartbeats, logger)
{
    public const string WorkerName = "event-retention";

    protected override async Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, int batchSize, CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var ids = await db.Events.Where(e => e.CreatedAt < cutoff).OrderBy(e => e.Id).Select(e => e.Id).Take(batchSize).ToListAsync(ct);
            if (ids.Count == 0)
            {
                return total;
            }

            await db.DeliveryAttempts.Where(a => ids.Contains(a.EventId)).ExecuteDeleteAsync(ct);
            await db.Deliveries.Where(d => ids.Contains(d.EventId)).ExecuteDeleteAsync(ct);
            await db.EventReplays.Where(r => ids.Contains(r.EventId)).ExecuteDeleteAsync(ct);
            await db.Events.Where(e => ids.Contains(e.Id)).ExecuteDeleteAsync(ct);
            await tx.CommitAsync(ct);
            total += ids.Count;
        }
    }
}

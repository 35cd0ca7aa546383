using AdoBridge.Hosting;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>Deletes events older than the retention period, with their deliveries and attempts, a page per transaction.</summary>
internal sealed partial class EventRetention(
    IDbContextFactory<AdoBridgeDbContext> contexts,
    IOptionsMonitor<EventRetentionOptions> options,
    TimeProvider clock,
    StartupGate gate,
    WorkerHeartbeats heartbeats,
    ILogger<EventRetention> logger) : PeriodicWorker(WorkerName, gate, heartbeats, clock)
{
    public const string WorkerName = "event-retention";

    public override TimeSpan? Interval => options.CurrentValue.CleanupInterval;

    protected override TimeSpan FirstPassDelay => TimeSpan.FromMinutes(1);

    protected override async Task RunPassAsync(CancellationToken ct)
    {
        var deleted = await RunOnceAsync(ct);
        if (deleted > 0)
        {
            LogDeleted(logger, deleted, options.CurrentValue.RetentionDays);
        }
    }

    protected override bool OnPassFailed(Exception error)
    {
        if (!StoreFailure.Is(error))
        {
            return false;
        }

        LogPassFailed(logger, error.GetType().Name);
        return true;
    }

    /// <summary>Deletes everything past retention, page by page; returns how many events went.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var o = options.CurrentValue;
        var cutoff = Clock.GetUtcNow() - TimeSpan.FromDays(o.RetentionDays);
        var total = 0;
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var ids = await db.Events.Where(e => e.CreatedAt < cutoff).OrderBy(e => e.Id).Select(e => e.Id).Take(o.CleanupBatchSize).ToListAsync(ct);
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

    [LoggerMessage(EventId = 530, Level = LogLevel.Information, Message = "Event log cleanup deleted {Count} events older than {Days} days, with their deliveries and attempts")]
    private static partial void LogDeleted(ILogger logger, int count, int days);

    [LoggerMessage(EventId = 531, Level = LogLevel.Warning, Message = "Event log cleanup failed ({ExceptionType}); it will try again")]
    private static partial void LogPassFailed(ILogger logger, string exceptionType);
}

using System.Data.Common;
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
    ILogger<EventRetention> logger) : BackgroundService
{
    private static readonly TimeSpan FirstPassDelay = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await gate.WaitAsync(stoppingToken);
            await Task.Delay(FirstPassDelay, clock, stoppingToken);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var deleted = await RunOnceAsync(stoppingToken);
                    if (deleted > 0)
                    {
                        LogDeleted(logger, deleted, options.CurrentValue.RetentionDays);
                    }
                }
                catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException)
                {
                    LogPassFailed(logger, e.GetType().Name);
                }

                await Task.Delay(options.CurrentValue.CleanupInterval, clock, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Deletes everything past retention, page by page; returns how many events went.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var o = options.CurrentValue;
        var cutoff = clock.GetUtcNow() - TimeSpan.FromDays(o.RetentionDays);
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

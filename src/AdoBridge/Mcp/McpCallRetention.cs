using AdoBridge.Hosting;
using AdoBridge.Mcp.Approvals;
using AdoBridge.Storage;
using AdoBridge.Webhooks.Delivery;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdoBridge.Mcp;

/// <summary>Deletes recorded MCP calls older than the event log's retention (`AdoBridge:Events:RetentionDays`), a page per statement, and approvals that expired that long ago.</summary>
internal sealed partial class McpCallRetention(
    IDbContextFactory<AdoBridgeDbContext> contexts,
    McpApprovalStore approvals,
    IOptionsMonitor<EventRetentionOptions> options,
    TimeProvider clock,
    StartupGate gate,
    WorkerHeartbeats heartbeats,
    ILogger<McpCallRetention> logger) : PeriodicWorker(WorkerName, gate, heartbeats, clock)
{
    public const string WorkerName = "mcp-call-retention";

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

    /// <summary>Deletes every call past retention, page by page, and approvals expired as long ago; returns how many calls went.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var o = options.CurrentValue;
        var cutoff = Clock.GetUtcNow() - TimeSpan.FromDays(o.RetentionDays);
        await approvals.DeleteExpiredBeforeAsync(cutoff, o.CleanupBatchSize, ct);
        var total = 0;
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            var ids = await db.McpCalls.Where(c => c.CreatedAt < cutoff).OrderBy(c => c.Id).Select(c => c.Id).Take(o.CleanupBatchSize).ToListAsync(ct);
            if (ids.Count == 0)
            {
                return total;
            }

            total += await db.McpCalls.Where(c => ids.Contains(c.Id)).ExecuteDeleteAsync(ct);
        }
    }

    [LoggerMessage(EventId = 1800, Level = LogLevel.Information, Message = "MCP audit cleanup deleted {Count} tool calls older than {Days} days")]
    private static partial void LogDeleted(ILogger logger, int count, int days);

    [LoggerMessage(EventId = 1801, Level = LogLevel.Warning, Message = "MCP audit cleanup failed ({ExceptionType}); it will try again")]
    private static partial void LogPassFailed(ILogger logger, string exceptionType);
}

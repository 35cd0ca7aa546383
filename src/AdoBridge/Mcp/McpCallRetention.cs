using AdoBridge.Hosting;
using AdoBridge.Mcp.Approvals;
using AdoBridge.Storage;
using AdoBridge.Webhooks.Delivery;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdoBridge.Mcp;

/// <summary>Deletes recorded MCP calls older than the event log's retention (`AdoBridge:Events:RetentionDays`), a page per statement, and approvals that expired that long ago.</summary>
internal sealed class McpCallRetention(
    IDbContextFactory<AdoBridgeDbContext> contexts,
    McpApprovalStore approvals,
    IOptionsMonitor<EventRetentionOptions> options,
    TimeProvider clock,
    StartupGate gate,
    WorkerHeartbeats heartbeats,
    ILogger<McpCallRetention> logger)
    : RetentionWorker(WorkerName, "MCP tool calls", options, clock, gate, heartbeats, logger)
{
    public const string WorkerName = "mcp-call-retention";

    protected override async Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, int batchSize, CancellationToken ct)
    {
        await approvals.DeleteExpiredBeforeAsync(cutoff, batchSize, ct);
        var total = 0;
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            var ids = await db.McpCalls.Where(c => c.CreatedAt < cutoff).OrderBy(c => c.Id).Select(c => c.Id).Take(batchSize).ToListAsync(ct);
            if (ids.Count == 0)
            {
                return total;
            }

            total += await db.McpCalls.Where(c => ids.Contains(c.Id)).ExecuteDeleteAsync(ct);
        }
    }
}

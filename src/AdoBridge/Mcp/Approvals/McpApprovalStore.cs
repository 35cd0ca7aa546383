using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.Mcp.Approvals;

/// <summary>What deciding an approval came to.</summary>
internal enum McpDecision
{
    Decided,
    NotFound,

    /// <summary>Already approved, denied or used.</summary>
    NotPending,
    Expired,

    /// <summary>The caller that asked for it tried to decide it: a client's own "accept" is never enough.</summary>
    OwnRequest,
}

/// <summary>
/// Approvals of destructive MCP calls: created pending by a call, decided by a person through the admin API (the console
/// will use the same methods), and redeemed once by the same caller retrying the same call. Every change is a conditional
/// UPDATE on the row's status, so two instances or two retries cannot both win.
/// </summary>
internal sealed class McpApprovalStore(IDbContextFactory<AdoBridgeDbContext> contexts, SqliteWriteGate writers, TimeProvider clock)
{
    public const string IdPrefix = "mcpa";

    public async Task<McpApprovalEntity> CreateAsync(string environmentId, string subject, string connectionId, string? organization, string tool,
        string redactedArguments, string argumentsHash, TimeSpan lifetime, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var row = new McpApprovalEntity
        {
            Id = Ids.New(IdPrefix, clock),
            EnvironmentId = environmentId,
            Subject = subject,
            ConnectionId = connectionId,
            Organization = organization,
            Tool = tool,
            Arguments = redactedArguments,
            ArgumentsHash = argumentsHash,
            Status = McpApprovalStatus.Pending,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
        await using var db = await contexts.CreateDbContextAsync(ct);
        using var turn = await writers.EnterAsync(db.Database.IsSqlite(), ct);
        db.McpApprovals.Add(row);
        await db.SaveChangesAsync(ct);
        return row;
    }

    /// <summary>The approval, if it is in the environment (every environment's when null).</summary>
    public async Task<McpApprovalEntity?> FindAsync(string id, string? environmentId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.McpApprovals.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct);
        return row is not null && (environmentId is null || row.EnvironmentId == environmentId) ? row : null;
    }

    /// <summary>An environment's approvals (every environment's when null), newest first, optionally of one status.</summary>
    public async Task<McpApprovalList> ListAsync(string? environmentId, string? status, string? cursor, int limit, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.McpApprovals.AsNoTracking();
        if (environmentId is not null)
        {
            query = query.Where(a => a.EnvironmentId == environmentId);
        }

        query = status switch
        {
            null => query,
            McpApprovalStatus.Expired => query.Where(a => (a.Status == McpApprovalStatus.Pending || a.Status == McpApprovalStatus.Approved) && a.ExpiresAt <= now),
            McpApprovalStatus.Pending or McpApprovalStatus.Approved => query.Where(a => a.Status == status && a.ExpiresAt > now),
            _ => query.Where(a => a.Status == status),
        };
        if (cursor is not null)
        {
            query = query.Where(a => string.Compare(a.Id, cursor) < 0);
        }

        var rows = await query.OrderByDescending(a => a.Id).Take(limit + 1).ToListAsync(ct);
        var page = rows.Take(limit).Select(r => McpApprovalView.From(r, now)).ToList();
        return new McpApprovalList(page, rows.Count > limit ? page[^1].Id : null);
    }

    /// <summary>Approves or denies a pending, unexpired approval, as <paramref name="decidedBy"/> (who may not be the subject that asked).</summary>
    public async Task<(McpDecision Decision, McpApprovalEntity? Approval)> DecideAsync(
        string id, string? environmentId, bool approve, string decidedBy, string? reason, CancellationToken ct)
    {
        var row = await FindAsync(id, environmentId, ct);
        var now = clock.GetUtcNow();
        if (row is null)
        {
            return (McpDecision.NotFound, null);
        }

        if (row.Subject == decidedBy)
        {
            return (McpDecision.OwnRequest, row);
        }

        if (McpApprovalStatus.Of(row, now) is var status && status != McpApprovalStatus.Pending)
        {
            return (status == McpApprovalStatus.Expired ? McpDecision.Expired : McpDecision.NotPending, row);
        }

        var next = approve ? McpApprovalStatus.Approved : McpApprovalStatus.Denied;
        await using var db = await contexts.CreateDbContextAsync(ct);
        using var turn = await writers.EnterAsync(db.Database.IsSqlite(), ct);
        var changed = await db.McpApprovals
            .Where(a => a.Id == id && a.Status == McpApprovalStatus.Pending && a.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, next).SetProperty(a => a.DecidedAt, now).SetProperty(a => a.DecidedBy, decidedBy).SetProperty(a => a.Reason, reason), ct);
        var after = await db.McpApprovals.AsNoTracking().SingleAsync(a => a.Id == id, ct);
        return changed == 1 ? (McpDecision.Decided, after) : (McpApprovalStatus.Of(after, now) == McpApprovalStatus.Expired ? McpDecision.Expired : McpDecision.NotPending, after);
    }

    /// <summary>Marks an approved, unexpired approval used; true for the one caller that did (so the call runs once).</summary>
    public async Task<bool> RedeemAsync(string id, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(ct);
        using var turn = await writers.EnterAsync(db.Database.IsSqlite(), ct);
        return await db.McpApprovals
            .Where(a => a.Id == id && a.Status == McpApprovalStatus.Approved && a.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, McpApprovalStatus.Used).SetProperty(a => a.UsedAt, now), ct) == 1;
    }

    /// <summary>Deletes approvals that expired before <paramref name="cutoff"/>, a page at a time; returns how many went.</summary>
    public async Task<int> DeleteExpiredBeforeAsync(DateTimeOffset cutoff, int batchSize, CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            var ids = await db.McpApprovals.Where(a => a.ExpiresAt < cutoff).OrderBy(a => a.Id).Select(a => a.Id).Take(batchSize).ToListAsync(ct);
            if (ids.Count == 0)
            {
                return total;
            }

            total += await db.McpApprovals.Where(a => ids.Contains(a.Id)).ExecuteDeleteAsync(ct);
        }
    }
}

using System.Collections.Concurrent;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.Mcp.Policies;

/// <summary>
/// The policies, by subject. A caller's policy is read on each MCP request, so it is cached for five seconds: a change made
/// on this instance applies at once, one made on another within that.
/// </summary>
internal sealed class McpPolicyStore(IDbContextFactory<AdoBridgeDbContext> contexts, SqliteWriteGate writers, TimeProvider clock)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    private readonly ConcurrentDictionary<string, (McpPolicy? Policy, DateTimeOffset Until)> cache = new(StringComparer.Ordinal);

    /// <summary>The subject's policy (null: none, every tool and organisation is allowed), cached.</summary>
    public async ValueTask<McpPolicy?> ForAsync(string subject, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (cache.TryGetValue(subject, out var hit) && hit.Until > now)
        {
            return hit.Policy;
        }

        var policy = await FindAsync(subject, ct);
        cache[subject] = (policy, now + CacheFor);
        return policy;
    }

    public async Task<McpPolicy?> FindAsync(string subject, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.McpPolicies.AsNoTracking().SingleOrDefaultAsync(p => p.Subject == subject, ct);
        return row is null ? null : McpPolicy.From(row);
    }

    /// <summary>The policies of an environment (every environment's when null), by subject.</summary>
    public async Task<IReadOnlyList<McpPolicy>> ListAsync(string? environmentId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.McpPolicies.AsNoTracking();
        if (environmentId is not null)
        {
            query = query.Where(p => p.EnvironmentId == environmentId);
        }

        return (await query.OrderBy(p => p.Subject).ToListAsync(ct)).Select(McpPolicy.From).ToList();
    }

    /// <summary>Creates or replaces the subject's policy; true when it was created.</summary>
    public async Task<(McpPolicy Policy, bool Created)> PutAsync(string subject, string environmentId, McpPolicyRequest.Valid policy, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        using var turn = await writers.EnterAsync(db.Database.IsSqlite(), ct);
        var now = clock.GetUtcNow();
        var row = await db.McpPolicies.SingleOrDefaultAsync(p => p.Subject == subject, ct);
        var created = row is null;
        row ??= db.McpPolicies.Add(new McpPolicyEntity { Subject = subject, EnvironmentId = environmentId, CreatedAt = now }).Entity;
        row.EnvironmentId = environmentId;
        row.Toolsets = McpPolicy.Json(policy.Toolsets);
        row.ReadOnly = policy.ReadOnly;
        row.Organizations = McpPolicy.Json(policy.Organizations);
        row.Projects = McpPolicy.Json(policy.Projects);
        row.ApproveDestructive = policy.ApproveDestructive;
        row.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        cache.TryRemove(subject, out _);
        return (McpPolicy.From(row), created);
    }

    public async Task<bool> DeleteAsync(string subject, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        using var turn = await writers.EnterAsync(db.Database.IsSqlite(), ct);
        var deleted = await db.McpPolicies.Where(p => p.Subject == subject).ExecuteDeleteAsync(ct) > 0;
        cache.TryRemove(subject, out _);
        return deleted;
    }
}

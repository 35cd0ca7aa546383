using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>An endpoint's recent record: attempts in the window and how many succeeded, and its last attempt.</summary>
internal sealed record EndpointHealthView(int Attempts, int Succeeded, DateTimeOffset? LastAttemptAt, string? LastOutcome, int? LastStatusCode)
{
    /// <summary>The share of attempts that succeeded, 0 to 1; null when nothing was attempted in the window.</summary>
    public double? SuccessRate => Attempts == 0 ? null : (double)Succeeded / Attempts;
}

/// <summary>How webhook endpoints have been doing lately, read from their delivery attempts.</summary>
internal sealed class EndpointHealth(IDbContextFactory<AdoBridgeDbContext> contexts, TimeProvider clock)
{
    /// <summary>The window the success rate covers.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    public async Task<IReadOnlyDictionary<string, EndpointHealthView>> ForAsync(IReadOnlyList<string> endpointIds, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var since = clock.GetUtcNow() - Window;
        var ids = endpointIds.ToList();
        var counts = await db.DeliveryAttempts.AsNoTracking().Where(a => ids.Contains(a.EndpointId) && a.StartedAt >= since)
            .GroupBy(a => a.EndpointId)
            .Select(g => new { EndpointId = g.Key, Attempts = g.Count(), Succeeded = g.Count(a => a.Outcome == AttemptOutcome.Succeeded) })
            .ToListAsync(ct);
        var result = new Dictionary<string, EndpointHealthView>(StringComparer.Ordinal);
        foreach (var id in ids)
        {
            var last = await db.DeliveryAttempts.AsNoTracking().Where(a => a.EndpointId == id)
                .OrderByDescending(a => a.StartedAt).Select(a => new { a.StartedAt, a.Outcome, a.StatusCode }).FirstOrDefaultAsync(ct);
            var count = counts.FirstOrDefault(c => c.EndpointId == id);
            result[id] = new EndpointHealthView(count?.Attempts ?? 0, count?.Succeeded ?? 0, last?.StartedAt, last?.Outcome, last?.StatusCode);
        }

        return result;
    }
}

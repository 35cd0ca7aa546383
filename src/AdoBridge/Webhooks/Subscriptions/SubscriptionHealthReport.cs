using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdoBridge.Webhooks.Subscriptions;

/// <summary>
/// One subscription's health as an operator reads it: when its last event arrived, the state of its hooks as last read
/// from Azure DevOps, and whether it is <see cref="Silent"/>: it used to receive events and has received none for
/// <see cref="ServiceHookOptions.SilenceAlarmAfter"/>.
/// </summary>
internal sealed record SubscriptionHealthRow(SubscriptionEntity Subscription, IReadOnlyList<ServiceHookEntity> Hooks, DateTimeOffset? LastEventAt, bool Silent)
{
    /// <summary>Hooks Azure DevOps last reported as anything but enabled: on probation, disabled, or missing.</summary>
    public IReadOnlyList<ServiceHookEntity> Troubled => Hooks.Where(h => h.AdoStatus is not "enabled").ToList();

    public bool NeedsAttention => Silent || Subscription.Status != SubscriptionStatus.Active || Troubled.Count > 0;
}

internal sealed record SubscriptionHealthPage(IReadOnlyList<SubscriptionHealthRow> Items, string? NextCursor, TimeSpan SilenceAlarmAfter);

/// <summary>The service-hook health of an environment's subscriptions, in keyset pages, optionally only those that need attention.</summary>
internal sealed class SubscriptionHealthReport(IDbContextFactory<AdoBridgeDbContext> contexts, IOptionsMonitor<ServiceHookOptions> options, TimeProvider clock)
{
    public async Task<SubscriptionHealthPage> ListAsync(string environmentId, bool attentionOnly, string? cursor, int limit, CancellationToken ct)
    {
        var after = options.CurrentValue.SilenceAlarmAfter;
        var alarms = after > TimeSpan.Zero;
        var cutoff = clock.GetUtcNow() - after;
        await using var db = await contexts.CreateDbContextAsync(ct);
        var hooks = db.ServiceHooks;
        var query = db.Subscriptions.AsNoTracking().Where(s => s.EnvironmentId == environmentId);
        if (attentionOnly)
        {
            const string Active = SubscriptionStatus.Active;
            query = query.Where(s => s.Status != Active
                || hooks.Any(h => h.SubscriptionId == s.Id && (h.AdoStatus == null || h.AdoStatus != "enabled"))
                || (alarms && hooks.Any(h => h.SubscriptionId == s.Id && h.LastEventAt != null) && !hooks.Any(h => h.SubscriptionId == s.Id && h.LastEventAt >= cutoff)));
        }

        if (cursor is not null)
        {
            query = query.Where(s => string.Compare(s.Id, cursor) > 0);
        }

        var rows = await query.OrderBy(s => s.Id).Take(limit + 1).ToListAsync(ct);
        var page = rows.Take(limit).ToList();
        var ids = page.Select(s => s.Id).ToList();
        var byId = (await hooks.AsNoTracking().Where(h => ids.Contains(h.SubscriptionId)).ToListAsync(ct)).ToLookup(h => h.SubscriptionId, StringComparer.Ordinal);
        var items = page.Select(s =>
        {
            var own = byId[s.Id].OrderBy(h => h.CreatedAt).ThenBy(h => h.Id, StringComparer.Ordinal).ToList();
            var last = own.Max(h => h.LastEventAt);
            return new SubscriptionHealthRow(s, own, last, alarms && last is { } at && at < cutoff);
        }).ToList();
        return new SubscriptionHealthPage(items, rows.Count > limit ? page[^1].Id : null, after);
    }

    public async Task<SubscriptionEntity?> FindAsync(string environmentId, string id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Subscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.EnvironmentId == environmentId, ct);
    }
}

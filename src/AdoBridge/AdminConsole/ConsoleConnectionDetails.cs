using AdoBridge.Connections;
using AdoBridge.Proxy;
using AdoBridge.Storage;
using AdoBridge.Webhooks.Delivery;
using AdoBridge.Webhooks.Subscriptions;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.AdminConsole;

/// <summary>
/// Reads what a connection's console page shows: the connection, its subscriptions with their hooks' health (through
/// <see cref="SubscriptionService"/>), this instance's proxy counters and the connection's latest events.
/// </summary>
internal sealed class ConsoleConnectionDetails(SubscriptionService subscriptions, ProxyStats proxyStats, IDbContextFactory<AdoBridgeDbContext> contexts)
{
    public const int RecentEvents = 20;

    public static ConnectionDetailView Describe(ConnectionEntity c) => new(
        c.Id, c.EnvironmentId, c.Status, c.StatusReason, c.StatusErrorCode,
        c.EndUserDisplayName is { Length: > 0 } d ? $"{d} ({c.EndUserId})" : c.EndUserId, c.AppName, c.AuthType,
        ConnectionService.OrganizationsOf(c), c.ServerUrl,
        c.IdentityId is null ? null : string.Join(" ", new[] { c.IdentityName, c.IdentityEmail is null ? null : $"<{c.IdentityEmail}>" }.Where(s => s is not null)),
        ConsoleFormat.Time(c.AccessTokenExpiresAt, c.AuthType == AuthTypes.Pat ? "not known" : "none"),
        ConsoleFormat.Time(c.LastRefreshedAt), ConsoleFormat.Time(c.NextRefreshAt, "not scheduled"),
        ConsoleFormat.Time(c.CreatedAt), ConsoleFormat.Time(c.UpdatedAt));

    public async Task<IReadOnlyList<SubscriptionRowView>> SubscriptionsAsync(ConnectionEntity connection, CancellationToken ct)
    {
        var list = await subscriptions.ListAsync(connection.EnvironmentId, connection.Id, null, 100, ct);
        return list.Items.Select(Row).ToList();
    }

    public static SubscriptionRowView Row(SubscriptionView s) => new(
        s.Id, $"{s.Organization} / {s.Project.Name}{(s.Repository is null ? "" : " / " + s.Repository.Name)}", s.Status, s.StatusReason,
        s.EventsMayBeMissedSince is { } since ? ConsoleFormat.Time(since) : null, ConsoleFormat.Time(s.LastCheckedAt),
        s.Hooks.Select(h => new HookRowView(h.Event, h.AzureStatus ?? "unknown", ConsoleFormat.Time(h.LastEventAt), ConsoleFormat.Time(h.LastCheckedAt))).ToList());

    public ProxyStatsView Proxy(string connectionId)
    {
        var s = proxyStats.Get(connectionId);
        return new ProxyStatsView(s.Requests, s.ClientErrors, s.ServerErrors, s.Throttled, s.Retries, s.AuthFailures,
            s.LastStatus?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none", ConsoleFormat.Time(s.LastAt));
    }

    /// <summary>The connection's latest events, newest first, with their delivery status as the event log derives it.</summary>
    public async Task<IReadOnlyList<RecentEventRowView>> EventsAsync(ConnectionEntity connection, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var page = await db.Events.AsNoTracking().Where(e => e.EnvironmentId == connection.EnvironmentId && e.ConnectionId == connection.Id)
            .OrderByDescending(e => e.Id).Take(RecentEvents).ToListAsync(ct);
        var statuses = await EventLog.StatusesAsync(db, page, ct);
        return page.Select(e => new RecentEventRowView(e.Id, e.Type, statuses[e.Id], ConsoleFormat.Time(e.CreatedAt))).ToList();
    }
}

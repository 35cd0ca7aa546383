using AdoBridge.Apps;
using AdoBridge.Hosting;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace AdoBridge.AdminConsole;

/// <summary>
/// The overview's figures: this instance's readiness (the same checks as /readyz), the delivery backlog and its oldest
/// item, events per minute, failing endpoints, client secrets and PATs that expire soon (secrets as the app validator
/// finds them), and connections that need re-authorisation. An admin sees its own environment's figures.
/// </summary>
internal sealed class ConsoleOverview(
    IDbContextFactory<AdoBridgeDbContext> contexts, AppRegistry apps, HealthCheckService health, WorkerHeartbeats heartbeats, TimeProvider clock)
{
    public static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan PatWarning = TimeSpan.FromDays(30);
    private const int ListLimit = 10;

    /// <summary>The figures of <paramref name="environment"/>, or of every environment when it is null (an owner).</summary>
    public async Task<OverviewView> ReadAsync(string? environment, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var report = await health.CheckHealthAsync(c => c.Tags.Contains(PeriodicWorkerServiceCollectionExtensions.ReadyTag), ct);
        var failingChecks = report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy)
            .Select(e => $"{e.Key}: {e.Value.Description ?? "failing"}").ToList();

        await using var db = await contexts.CreateDbContextAsync(ct);
        var deliveries = db.Deliveries.AsNoTracking().Where(d => d.Status == "pending");
        var events = db.Events.AsNoTracking();
        var endpoints = db.WebhookEndpoints.AsNoTracking();
        var connections = db.Connections.AsNoTracking();
        if (environment is not null)
        {
            deliveries = deliveries.Where(d => d.EnvironmentId == environment);
            events = events.Where(e => e.EnvironmentId == environment);
            endpoints = endpoints.Where(e => e.EnvironmentId == environment);
            connections = connections.Where(c => c.EnvironmentId == environment);
        }

        var backlog = await deliveries.LongCountAsync(ct);
        var oldest = backlog == 0 ? null : await deliveries.OrderBy(d => d.CreatedAt).Select(d => (DateTimeOffset?)d.CreatedAt).FirstOrDefaultAsync(ct);
        var windowStart = now - RateWindow;
        var recent = await events.LongCountAsync(e => e.CreatedAt >= windowStart, ct);
        var hourStart = now - TimeSpan.FromHours(1);
        var lastHour = await events.LongCountAsync(e => e.CreatedAt >= hourStart, ct);

        var failing = (await endpoints.Where(e => e.ConsecutiveFailures > 0 || e.CircuitOpenUntil != null || e.Status == "disabled")
                .OrderByDescending(e => e.ConsecutiveFailures).Take(ListLimit).ToListAsync(ct))
            .Select(e => new OverviewItemView(e.Url, null,
                $"{e.EnvironmentId} · {e.Status} · {e.ConsecutiveFailures} failure{(e.ConsecutiveFailures == 1 ? "" : "s")} in a row"
                + (e.CircuitOpenUntil is { } until && until > now ? $" · paused until {ConsoleFormat.Time(until)}" : "")))
            .ToList();

        var patLimit = now + PatWarning;
        var pats = (await connections.Where(c => c.AuthType == AuthTypes.Pat && c.AccessTokenExpiresAt != null && c.AccessTokenExpiresAt <= patLimit)
                .OrderBy(c => c.AccessTokenExpiresAt).Take(ListLimit).ToListAsync(ct))
            .Select(c => new OverviewItemView(c.EndUserDisplayName ?? c.EndUserId, "/console/connections/" + Uri.EscapeDataString(c.Id),
                $"{c.EnvironmentId} · {(c.AccessTokenExpiresAt <= now ? "expired" : "expires")} {ConsoleFormat.Time(c.AccessTokenExpiresAt)}"))
            .ToList();

        var needsReauth = connections.Where(c => c.Status == ConnectionStatus.NeedsReauth);
        var reauthCount = await needsReauth.LongCountAsync(ct);
        var reauth = (await needsReauth.OrderByDescending(c => c.UpdatedAt).Take(ListLimit).ToListAsync(ct))
            .Select(c => new OverviewItemView(c.EndUserDisplayName ?? c.EndUserId, "/console/connections/" + Uri.EscapeDataString(c.Id),
                $"{c.EnvironmentId} · {c.AppName} · since {ConsoleFormat.Time(c.UpdatedAt)}{(c.StatusReason is { } why ? " · " + why : "")}"))
            .ToList();

        // The app validator's own findings, so the overview warns exactly when the apps page and the doctor do.
        var secrets = (await apps.ListAsync(ct))
            .SelectMany(a => a.Issues.Where(i => i.Code is "secret_expiring" or "secret_expired").Select(i => new OverviewItemView($"{a.Name}: {i.Message}", null, i.Fix)))
            .ToList();

        return new OverviewView(
            Environment.MachineName, report.Status == HealthStatus.Healthy, failingChecks, ConsoleFormat.Time(heartbeats.Started),
            backlog, oldest is { } o ? ConsoleFormat.Age(now - o) : null,
            (recent / RateWindow.TotalMinutes).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture), lastHour,
            failing, secrets, pats, reauthCount, reauth, environment is null ? "every environment" : $"environment '{environment}'");
    }
}

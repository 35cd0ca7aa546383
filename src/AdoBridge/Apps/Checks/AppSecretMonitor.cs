using AdoBridge.Hosting;
using AdoBridge.Events;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.Apps.Checks;

/// <summary>
/// Twice a day, tells every environment about client secrets that expire within 30 days (event `app.secret_expiring`),
/// once per secret and expiry date, so the product can remind its admins before sign-ins start failing.
/// </summary>
internal sealed partial class AppSecretMonitor(AppRegistry apps, IDbContextFactory<AdoBridgeDbContext> contexts, EventRecorder events, TimeProvider clock, StartupGate gate, WorkerHeartbeats heartbeats, ILogger<AppSecretMonitor> logger)
    : PeriodicWorker(WorkerName, gate, heartbeats, clock)
{
    public const string WorkerName = "app-secret-monitor";

    private static readonly TimeSpan Window = TimeSpan.FromDays(30);

    public override TimeSpan? Interval => TimeSpan.FromHours(12);

    protected override Task RunPassAsync(CancellationToken ct) => CheckAsync(ct);

    protected override bool OnPassFailed(Exception error)
    {
        LogCheckFailed(logger, error.GetType().Name);
        return true;
    }

    /// <summary>Records the events due now. Returns how many were recorded.</summary>
    public async Task<int> CheckAsync(CancellationToken ct)
    {
        var now = Clock.GetUtcNow();
        await using var db = await contexts.CreateDbContextAsync(ct);
        var environments = await db.Environments.AsNoTracking().Select(e => e.Id).ToListAsync(ct);
        var recorded = 0;
        foreach (var app in await apps.ListAsync(ct))
        {
            foreach (var secret in app.Definition.ClientSecrets ?? [])
            {
                if (secret.ExpiresAt is not { } expires || expires - now > Window)
                {
                    continue;
                }

                // The key names the secret and its expiry, so a renewed secret with a new date is announced again.
                var key = $"{app.Name}/{secret.Id}/{expires.UtcDateTime:yyyy-MM-dd}";
                if (await db.Events.AnyAsync(e => e.Type == LifecycleEvents.AppSecretExpiring && e.Payload.Contains("\"key\":\"" + key + "\""), ct))
                {
                    continue;
                }

                foreach (var environment in environments)
                {
                    events.Add(db, environment, LifecycleEvents.AppSecretExpiring, null, new
                    {
                        key,
                        app = app.Name,
                        secretId = secret.Id,
                        expiresAt = expires,
                        expired = expires <= now,
                        fix = "Create a new client secret in the app registration (Certificates & secrets), add it to the app in AdoBridge, then remove the old one.",
                    });
                    recorded++;
                }
            }
        }

        await db.SaveChangesAsync(ct);
        return recorded;
    }

    [LoggerMessage(EventId = 210, Level = LogLevel.Warning, Message = "Checking app secrets for expiry failed ({ExceptionType}); will try again")]
    private static partial void LogCheckFailed(ILogger logger, string exceptionType);
}

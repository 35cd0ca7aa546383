using AdoBridge.Hosting;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdoBridge.ConnectSessions;

/// <summary>
/// Deletes connect sessions, with their sealed flow data (PKCE verifiers, tokens awaiting the organisation choice), once
/// their link has expired and a grace period has passed: an abandoned flow keeps nothing for long. The grace period keeps
/// a just-finished session's "Connected" page and a late "link expired" page working.
/// </summary>
internal sealed partial class ConnectSessionCleanup(
    IDbContextFactory<AdoBridgeDbContext> contexts,
    IOptionsMonitor<ConnectSessionCleanupOptions> options,
    TimeProvider clock,
    StartupGate gate,
    WorkerHeartbeats heartbeats,
    ILogger<ConnectSessionCleanup> logger) : PeriodicWorker(WorkerName, gate, heartbeats, clock)
{
    public const string WorkerName = "connect-session-cleanup";

    public override TimeSpan? Interval => options.CurrentValue.CleanupInterval;

    protected override async Task RunPassAsync(CancellationToken ct)
    {
        var deleted = await RunOnceAsync(ct);
        if (deleted > 0)
        {
            LogDeleted(logger, deleted);
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

    /// <summary>Deletes every session whose link expired more than the grace period ago, a page at a time; returns how many went.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var o = options.CurrentValue;
        var cutoff = Clock.GetUtcNow() - o.CleanupGracePeriod;
        var total = 0;
        while (true)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            var ids = await db.ConnectSessions.Where(s => s.ExpiresAt < cutoff).OrderBy(s => s.Id).Select(s => s.Id).Take(o.CleanupBatchSize).ToListAsync(ct);
            if (ids.Count == 0)
            {
                return total;
            }

            total += await db.ConnectSessions.Where(s => ids.Contains(s.Id)).ExecuteDeleteAsync(ct);
        }
    }

    [LoggerMessage(EventId = 410, Level = LogLevel.Information, Message = "Connect session cleanup deleted {Count} expired sessions with their sealed data")]
    private static partial void LogDeleted(ILogger logger, int count);

    [LoggerMessage(EventId = 411, Level = LogLevel.Warning, Message = "Connect session cleanup failed ({ExceptionType}); it will try again")]
    private static partial void LogPassFailed(ILogger logger, string exceptionType);
}

internal static class ConnectSessionCleanupExtensions
{
    public static IServiceCollection AddConnectSessionCleanup(this IServiceCollection services)
    {
        services.AddOptions<ConnectSessionCleanupOptions>().BindConfiguration(ConnectSessionCleanupOptions.Section)
            .Validate(o => o.CleanupGracePeriod >= TimeSpan.Zero, "AdoBridge:ConnectSessions:CleanupGracePeriod must not be negative.")
            .Validate(o => o.CleanupInterval > TimeSpan.Zero, "AdoBridge:ConnectSessions:CleanupInterval must be positive, e.g. 00:05:00.")
            .Validate(o => o.CleanupBatchSize is > 0 and <= 100_000, "AdoBridge:ConnectSessions:CleanupBatchSize must be between 1 and 100000.")
            .ValidateOnStart();
        services.AddPeriodicWorker<ConnectSessionCleanup>(ConnectSessionCleanup.WorkerName);
        return services;
    }
}

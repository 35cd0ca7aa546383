using AdoBridge.Hosting;

namespace AdoBridge.Webhooks.BulkReplay;

internal static class BulkReplayServiceCollectionExtensions
{
    /// <summary>Bulk replay runs and the worker that replays them step by step.</summary>
    public static IServiceCollection AddBulkReplay(this IServiceCollection services)
    {
        const string S = BulkReplayOptions.Section;
        services.AddOptions<BulkReplayOptions>().BindConfiguration(S)
            .Validate(o => o.StepSize is > 0 and <= 5000, $"{S}:StepSize must be between 1 and 5000 (default 500).")
            .Validate(o => o.PollInterval > TimeSpan.Zero && o.PollInterval <= TimeSpan.FromMinutes(5), $"{S}:PollInterval must be between 0 and 5 minutes (default 00:00:01).")
            .Validate(o => o.LeaseDuration >= TimeSpan.FromSeconds(5) && o.LeaseDuration <= TimeSpan.FromHours(1),
                $"{S}:LeaseDuration must be between 5 seconds and 1 hour (default 00:01:00): longer than a step takes, short enough for a quick takeover.")
            .Validate(o => o.PauseFactor is >= 0 and <= 100, $"{S}:PauseFactor must be between 0 (no pause) and 100 (default 1).")
            .Validate(o => o.MaxPendingDeliveries is > 0 and <= 10_000_000, $"{S}:MaxPendingDeliveries must be between 1 and 10000000 (default 10000).")
            .ValidateOnStart();
        services.AddSingleton<BulkReplaySignal>();
        services.AddSingleton<BulkReplayRuns>();
        services.AddPeriodicWorker<BulkReplayWorker>(BulkReplayWorker.WorkerName);
        return services;
    }
}

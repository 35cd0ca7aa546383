using AdoBridge.Hosting;
using AdoBridge.Storage;
using Microsoft.Extensions.Options;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>
/// A loop that deletes what is older than the event log's retention (`AdoBridge:Events`): its schedule (the cleanup
/// interval, the first pass a minute after start-up), its log lines, and riding out a database that is away. Each kind
/// of record says only what it deletes, page by page, in <see cref="RunOnceAsync"/>.
/// </summary>
internal abstract partial class RetentionWorker(
    string name,
    string what,
    IOptionsMonitor<EventRetentionOptions> options,
    TimeProvider clock,
    StartupGate gate,
    WorkerHeartbeats heartbeats,
    ILogger logger) : PeriodicWorker(name, gate, heartbeats, clock)
{
    public override TimeSpan? Interval => options.CurrentValue.CleanupInterval;

    protected override TimeSpan FirstPassDelay => TimeSpan.FromMinutes(1);

    /// <summary>Deletes everything past retention, page by page; returns how many records went.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var o = options.CurrentValue;
        return await DeleteOlderThanAsync(Clock.GetUtcNow() - TimeSpan.FromDays(o.RetentionDays), o.CleanupBatchSize, ct);
    }

    /// <summary>Deletes what was made before <paramref name="cutoff"/>, at most <paramref name="batchSize"/> per statement or transaction.</summary>
    protected abstract Task<int> DeleteOlderThanAsync(DateTimeOffset cutoff, int batchSize, CancellationToken ct);

    protected override async Task RunPassAsync(CancellationToken ct)
    {
        var deleted = await RunOnceAsync(ct);
        if (deleted > 0)
        {
            LogDeleted(logger, Name, deleted, what, options.CurrentValue.RetentionDays);
        }
    }

    protected override bool OnPassFailed(Exception error)
    {
        if (!StoreFailure.Is(error))
        {
            return false;
        }

        LogPassFailed(logger, Name, error.GetType().Name);
        return true;
    }

    [LoggerMessage(EventId = 530, Level = LogLevel.Information, Message = "Cleanup {Worker} deleted {Count} {What} older than {Days} days")]
    private static partial void LogDeleted(ILogger logger, string worker, int count, string what, int days);

    [LoggerMessage(EventId = 531, Level = LogLevel.Warning, Message = "Cleanup {Worker} failed ({ExceptionType}); it will try again")]
    private static partial void LogPassFailed(ILogger logger, string worker, string exceptionType);
}

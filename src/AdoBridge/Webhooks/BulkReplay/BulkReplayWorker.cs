using AdoBridge.Hosting;
using AdoBridge.Storage;
using AdoBridge.Webhooks.Delivery;
using Microsoft.Extensions.Options;

namespace AdoBridge.Webhooks.BulkReplay;

/// <summary>What one step of the worker did.</summary>
internal enum BulkReplayStepOutcome
{
    /// <summary>No running run this instance may work (none, or each leased to a live instance).</summary>
    Idle,

    /// <summary>A step was replayed and saved; the run goes on.</summary>
    Stepped,

    /// <summary>The run ended: its last step was replayed, it was cancelled, it failed, or its lease was lost.</summary>
    Ended,

    /// <summary>A run is held, but the delivery backlog is over the bound: no step this time.</summary>
    Paced,
}

/// <summary>
/// Works bulk replay runs: each pass leases a running run (its own first), replays one step with
/// <see cref="EventLog.ReplayMatchingAsync"/> after the saved cursor and saves the cursor and count with a renewed lease,
/// so a restart resumes after the last saved step and a dead instance's run passes to another when its lease runs out.
/// A cancel is seen at the next pass. It paces itself for ingest and the sender: after a step it pauses in proportion
/// to how long the step took, and it takes no step while too many deliveries wait to be sent.
/// </summary>
internal sealed partial class BulkReplayWorker(
    BulkReplayRuns runs,
    EventLog log,
    BulkReplaySignal signal,
    IOptionsMonitor<BulkReplayOptions> options,
    TimeProvider clock,
    StartupGate gate,
    WorkerHeartbeats heartbeats,
    ILogger<BulkReplayWorker> logger) : PeriodicWorker(WorkerName, gate, heartbeats, clock)
{
    public const string WorkerName = "bulk-replay";

    private bool more;

    /// <summary>This instance's lease owner name.</summary>
    public string InstanceId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    public override TimeSpan? Interval => options.CurrentValue.Enabled ? options.CurrentValue.PollInterval : null;

    protected override bool MoreDue => more;

    protected override Task WaitAsync(TimeSpan interval, CancellationToken ct) => signal.WaitAsync(interval, ct);

    protected override async Task RunPassAsync(CancellationToken ct)
    {
        more = false;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var outcome = await StepAsync(ct);
        more = outcome is BulkReplayStepOutcome.Stepped or BulkReplayStepOutcome.Ended;
        if (outcome == BulkReplayStepOutcome.Stepped && options.CurrentValue.PauseFactor > 0)
        {
            // The pause in proportion to the step leaves the write lock (SQLite) or the I/O (PostgreSQL) to ingest and the
            // sender for at least as long as the run used it, however fast or slow the machine.
            var pause = System.Diagnostics.Stopwatch.GetElapsedTime(started) * options.CurrentValue.PauseFactor;
            await Task.Delay(pause < TimeSpan.FromMinutes(1) ? pause : TimeSpan.FromMinutes(1), Clock, ct);
        }
    }

    /// <summary>Leases a run and replays its next step (tests call it to take one step at a time).</summary>
    public async Task<BulkReplayStepOutcome> StepAsync(CancellationToken ct)
    {
        var o = options.CurrentValue;
        var now = Clock.GetUtcNow();
        var run = await runs.ClaimAsync(InstanceId, now, now + o.LeaseDuration, ct);
        if (run is null)
        {
            return BulkReplayStepOutcome.Idle;
        }

        if (await runs.PendingDeliveriesAsync(o.MaxPendingDeliveries, ct) >= o.MaxPendingDeliveries)
        {
            return BulkReplayStepOutcome.Paced;
        }

        BulkReplayFilter filter;
        try
        {
            filter = BulkReplayRuns.ReadFilter(run.Filter);
        }
        catch (System.Text.Json.JsonException)
        {
            await runs.FailAsync(run, InstanceId, "its stored filter could not be read", ct);
            LogFailed(logger, run.Id);
            return BulkReplayStepOutcome.Ended;
        }

        if (run.Through is null)
        {
            // Nothing was counted: nothing to replay (such a run is stored finished; this covers one written by hand).
            await runs.SaveStepAsync(run, InstanceId, 0, null, now, ct);
            return BulkReplayStepOutcome.Ended;
        }

        var (replayed, next) = await log.ReplayMatchingAsync(run.EnvironmentId, filter.ToEventFilter(run.Cursor), run.Through, o.StepSize, ct);
        var after = Clock.GetUtcNow();
        var state = await runs.SaveStepAsync(run, InstanceId, replayed, next, after + o.LeaseDuration, ct);
        if (state is null)
        {
            LogLeaseLost(logger, run.Id);
            return BulkReplayStepOutcome.Ended;
        }

        if (state == BulkReplayStates.Finished)
        {
            LogFinished(logger, run.Id, run.Done + replayed);
        }

        return state == BulkReplayStates.Running ? BulkReplayStepOutcome.Stepped : BulkReplayStepOutcome.Ended;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // A graceful stop hands the runs back at once; a crash leaves leases that expire after LeaseDuration.
            await runs.ReleaseAsync(InstanceId, cancellationToken);
        }
        catch (Exception e) when (StoreFailure.Is(e) || e is OperationCanceledException)
        {
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

    [LoggerMessage(EventId = 570, Level = LogLevel.Information, Message = "Bulk replay {RunId} finished: {Done} events replayed")]
    private static partial void LogFinished(ILogger logger, string runId, int done);

    [LoggerMessage(EventId = 571, Level = LogLevel.Warning, Message = "Bulk replay {RunId}: another instance took the run over; this instance stops working it")]
    private static partial void LogLeaseLost(ILogger logger, string runId);

    [LoggerMessage(EventId = 572, Level = LogLevel.Warning, Message = "Bulk replay {RunId} failed: its stored filter could not be read")]
    private static partial void LogFailed(ILogger logger, string runId);

    [LoggerMessage(EventId = 573, Level = LogLevel.Warning, Message = "Bulk replay pass failed ({ExceptionType}); it will try again")]
    private static partial void LogPassFailed(ILogger logger, string exceptionType);
}

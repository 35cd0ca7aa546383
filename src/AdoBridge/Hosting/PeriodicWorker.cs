namespace AdoBridge.Hosting;

/// <summary>
/// A background loop that runs a pass, then waits: it waits for start-up first, beats its heartbeat at the top of every
/// round (so readiness names it when it stalls), survives a failed pass and stops quietly on shutdown. Subclasses say
/// what one pass does and how long to wait; registered with <see cref="PeriodicWorkerServiceCollectionExtensions.AddPeriodicWorker{T}"/>.
/// </summary>
internal abstract class PeriodicWorker(string name, StartupGate gate, WorkerHeartbeats heartbeats, TimeProvider clock) : BackgroundService
{
    /// <summary>The clock the loop waits on, for subclasses (tests move it).</summary>
    protected TimeProvider Clock => clock;

    /// <summary>The worker's name in logs and in /readyz.</summary>
    public string Name => name;

    /// <summary>Time between passes, read before each wait so a changed option applies at once; null when the worker is switched off.</summary>
    public abstract TimeSpan? Interval { get; }

    /// <summary>Time to wait after start-up before the first pass.</summary>
    protected virtual TimeSpan FirstPassDelay => TimeSpan.Zero;

    protected abstract Task RunPassAsync(CancellationToken ct);

    /// <summary>Waits between passes; a loop that can be woken early (a <see cref="WakeSignal"/>) overrides it.</summary>
    protected virtual Task WaitAsync(TimeSpan interval, CancellationToken ct) => Task.Delay(interval, clock, ct);

    /// <summary>Read after a pass: true when it left work waiting (a full page claimed), so the next pass starts at once.</summary>
    protected virtual bool MoreDue => false;

    /// <summary>Whether a pass that threw <paramref name="error"/> is logged and the loop goes on (true), or the worker stops.</summary>
    protected abstract bool OnPassFailed(Exception error);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await gate.WaitAsync(stoppingToken);
            if (FirstPassDelay > TimeSpan.Zero)
            {
                await Task.Delay(FirstPassDelay, clock, stoppingToken);
            }

            while (!stoppingToken.IsCancellationRequested)
            {
                heartbeats.Beat(name);
                if (Interval is not { } interval)
                {
                    // Switched off: keep beating (the health check calls it disabled) and look again in a minute.
                    await Task.Delay(TimeSpan.FromMinutes(1), clock, stoppingToken);
                    continue;
                }

                try
                {
                    await RunPassAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException && OnPassFailed(e))
                {
                }

                // Again at the end of the pass: a pass that outlasted a jump of the clock still shows the loop alive.
                heartbeats.Beat(name);
                if (!MoreDue)
                {
                    await WaitAsync(interval, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

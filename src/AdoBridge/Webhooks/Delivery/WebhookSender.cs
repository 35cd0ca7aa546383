using AdoBridge.Hosting;
using System.Security.Cryptography;
using AdoBridge.Storage;
using AdoBridge.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>
/// Sends due deliveries. Each pass leases what fits in this instance's slots (total and per endpoint, plus one slot's
/// worth queued behind each, so a busy endpoint's next delivery is at hand when a request finishes instead of a
/// database round trip away), sends them, and hands the results to the <see cref="DeliveryOutcomeWriter"/>. It wakes when
/// the dispatcher or the API queued something, when a slot frees up, when a retry it scheduled falls due, or at the poll interval.
/// </summary>
internal sealed partial class WebhookSender(
    IDbContextFactory<AdoBridgeDbContext> contexts,
    DeliveryClaims claims,
    EndpointDirectory directory,
    WebhookHttpSender http,
    DeliveryOutcomeWriter outcomes,
    DeliverySignal signal,
    IOptionsMonitor<WebhookDeliveryOptions> options,
    TimeProvider clock,
    StartupGate gate,
    WorkerHeartbeats heartbeats,
    ILogger<WebhookSender> logger) : BackgroundService
{
    /// <summary>This loop's name in logs and in /readyz (its heartbeat).</summary>
    public const string WorkerName = "webhook-sender";

    /// <summary>
    /// Deliveries leased per slot (sending and queued behind it). Every claim is a write, and on SQLite it waits its turn
    /// behind the ingest commits (an fsync each), so a claim must take a busy endpoint's next many deliveries at once,
    /// not one per finished request. A queue this deep drains in tens of milliseconds to a healthy endpoint; to a slow one,
    /// what waits too long is given back (see <see cref="StartQueued"/>).
    /// </summary>
    private const int Prefetch = 32;

    private readonly SenderSlots slots = new(options, clock, Prefetch);

    private long wakeAtTicks = long.MaxValue;
    private DateTimeOffset lastProbe = DateTimeOffset.MinValue;
    private long sent;
    private bool backlog;
    private long handedOff;

    /// <summary>Attempts this instance has sent, for tests and benchmarks.</summary>
    public long Sent => Interlocked.Read(ref sent);

    /// <summary>Deliveries ingest handed straight to this instance (stored leased to it), for tests and benchmarks.</summary>
    public long HandedOff => Interlocked.Read(ref handedOff);

    /// <summary>This instance's lease owner name.</summary>
    public string InstanceId { get; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await gate.WaitAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        outcomes.Scheduled = WakeAt;
        var writer = Task.Run(() => outcomes.RunAsync(InstanceId), CancellationToken.None);
        slots.Accepting = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            heartbeats.Beat(WorkerName);
            try
            {
                if (options.CurrentValue.Enabled)
                {
                    await PumpAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Whatever went wrong (database away, a bug), the sender must keep going: log and try again shortly.
                LogPassFailed(logger, e.GetType().Name);
                await Task.Delay(options.CurrentValue.PollInterval, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }

            await signal.WaitAsync(NextWait(), stoppingToken);
        }

        slots.Accepting = false;

        // Queued deliveries go back at once; requests in flight finish (each within the timeout) and are recorded, so a
        // restart does not send them again.
        await ReleaseAsync(slots.DrainQueues());
        await Task.WhenAll(slots.RunningTasks());
        outcomes.Complete();
        await writer;
    }

    private async Task PumpAsync(CancellationToken ct)
    {
        var o = options.CurrentValue;
        var now = clock.GetUtcNow();
        var (free, caps) = slots.Capacity(o, now);
        if (free <= 0)
        {
            return;
        }

        var until = now + o.Timeout + o.LeaseMargin;
        var claimed = await claims.ClaimAsync(InstanceId, free, o.MaxConcurrencyPerEndpoint * Prefetch, caps, o.CircuitBreakerThreshold, now, until, ct);
        if (claimed.Count < free && now - lastProbe >= o.PollInterval)
        {
            lastProbe = now;
            claimed.AddRange(await claims.ClaimProbesAsync(InstanceId, free - claimed.Count, o.CircuitBreakerThreshold, now, until, ct));
        }

        if (claimed.Count == 0)
        {
            Volatile.Write(ref backlog, false);
            return;
        }

        await PrepareAsync(claimed, until, ct);

        // A claim that took all it could (in all, or for some endpoint) means more may be due: look again when there is
        // room. Otherwise finished requests need not trigger claims: new events come by hand-off or a signal.
        var capped = claimed.Count == free || claimed.GroupBy(c => c.EndpointId, StringComparer.Ordinal)
            .Any(g => g.Count() >= caps.GetValueOrDefault(g.Key, o.MaxConcurrencyPerEndpoint * Prefetch));
        Volatile.Write(ref backlog, capped);
        if (claimed.Count == free)
        {
            signal.Notify();
        }
    }

    /// <summary>Builds each claimed delivery's body and finds its endpoint, queues what can be sent and gives back the rest.</summary>
    private async Task PrepareAsync(List<ClaimedDelivery> claimed, DateTimeOffset leaseUntil, CancellationToken ct)
    {
        var ready = new List<ReadyDelivery>();
        try
        {
            var bodies = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            var origins = new Dictionary<string, DeliveryOrigin>(StringComparer.Ordinal);
            foreach (var e in claimed.Select(c => c.Event).OfType<EventEntity>())
            {
                bodies.TryAdd(e.Id, DeliveryPayload.Build(e));
                origins.TryAdd(e.Id, new DeliveryOrigin(e.TraceParent, e.Type, e.ConnectionId));
            }

            var missing = claimed.Select(c => c.EventId).Where(id => !bodies.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
            {
                await using var db = await contexts.CreateDbContextAsync(ct);
                foreach (var e in await db.Events.AsNoTracking().Where(e => missing.Contains(e.Id)).ToListAsync(ct))
                {
                    bodies[e.Id] = DeliveryPayload.Build(e);
                    origins[e.Id] = new DeliveryOrigin(e.TraceParent, e.Type, e.ConnectionId);
                }
            }

            foreach (var c in claimed)
            {
                // Disabled or deleted since the claim, or the event is gone (retention): the lease goes back untried below.
                var target = await TargetAsync(c.EndpointId, ct);
                if (target is not null && target.Enabled && bodies.TryGetValue(c.EventId, out var body))
                {
                    ready.Add(new ReadyDelivery(c, target, body, leaseUntil, origins.GetValueOrDefault(c.EventId)));
                }
            }
        }
        finally
        {
            var queued = ready.Select(r => r.Claim.Id).ToHashSet(StringComparer.Ordinal);
            slots.Enqueue(ready);
            await ReleaseAsync(claimed.Where(c => !queued.Contains(c.Id)).ToList());
            StartQueued();
        }
    }

    /// <summary>Reserves a queue place for a delivery ingest is about to hand over (see <see cref="SenderSlots.TryReserve"/>).</summary>
    public bool TryReserve(string endpointId) => slots.TryReserve(endpointId);

    /// <summary>Gives back places reserved for deliveries that were not stored (the commit failed).</summary>
    public void Unreserve(IEnumerable<string> endpointIds) => slots.Unreserve(endpointIds);

    /// <summary>Starts queued deliveries while there are free slots; gives back those whose lease is too short to send.</summary>
    private void StartQueued()
    {
        var (start, stale) = slots.TakeStartable();
        foreach (var next in start)
        {
            slots.Track(SendAsync(next));
        }

        if (stale.Count > 0)
        {
            _ = ReleaseAsync(stale);
        }
    }

    /// <summary>The lease a delivery handed over by ingest is stored with: this instance, for one attempt and its record.</summary>
    public (string Owner, DateTimeOffset Until) HandOffLease()
    {
        var o = options.CurrentValue;
        return (InstanceId, clock.GetUtcNow() + o.Timeout + o.LeaseMargin);
    }

    /// <summary>
    /// Takes deliveries that ingest stored leased to this instance (places reserved with <see cref="TryReserve"/>) and
    /// queues them for sending. Whatever cannot be sent is given back; if this fails, the leases run out and claims
    /// pick them up.
    /// </summary>
    public async Task HandOffAsync(List<ClaimedDelivery> claimed, DateTimeOffset leaseUntil)
    {
        try
        {
            Interlocked.Add(ref handedOff, claimed.Count);
            await PrepareAsync(claimed, leaseUntil, CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogPassFailed(logger, e.GetType().Name);
        }
        finally
        {
            slots.Unreserve(claimed.Select(c => c.EndpointId));
        }
    }

    private async Task<EndpointTarget?> TargetAsync(string endpointId, CancellationToken ct)
    {
        try
        {
            return await directory.TargetAsync(endpointId, ct);
        }
        catch (CryptographicException)
        {
            // The secret does not open (master key changed?): never send unsigned; the deliveries wait.
            LogSecretUnreadable(logger, endpointId);
            return null;
        }
    }

    private async Task ReleaseAsync(List<ClaimedDelivery> untried)
    {
        if (untried.Count == 0)
        {
            return;
        }

        try
        {
            await claims.ReleaseAsync(InstanceId, untried.Select(c => c.Id).ToList(), CancellationToken.None);
        }
        catch (Exception e) when (StoreFailure.Is(e))
        {
            // The leases run out by themselves.
            LogPassFailed(logger, e.GetType().Name);
        }
    }

    private async Task SendAsync(ReadyDelivery ready)
    {
        await Task.Yield();
        var claim = ready.Claim;
        AttemptResult result;
        var span = TelemetrySpans.StartDeliveryAttempt(claim.Id, claim.EventId, claim.EndpointId, claim.Attempts + 1, ready.Origin);
        try
        {
            // Not tied to the stopping token: a request already sent is finished and recorded, within the timeout.
            result = await http.SendAsync(ready.Target, claim.EventId, ready.Body, CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            result = new AttemptResult(clock.GetUtcNow(), 0, null, AttemptOutcome.Error, "AdoBridge could not send the request (" + e.GetType().Name + ").", null);
        }

        TelemetrySpans.EndDeliveryAttempt(span, result.Outcome, result.StatusCode, result.Succeeded, claim.EventId, clock.GetUtcNow());
        if (!result.Succeeded)
        {
            LogAttemptFailed(logger, claim.EndpointId, claim.EventId, claim.Attempts + 1, result.StatusCode, result.Outcome);
        }

        outcomes.Enqueue(new CompletedAttempt(claim, result));
        var (giveBack, low) = slots.Finished(claim.EndpointId, result.Succeeded);
        Interlocked.Increment(ref sent);
        await ReleaseAsync(giveBack);
        StartQueued();
        if (low && Volatile.Read(ref backlog))
        {
            // Room for a claim's worth and the last claim left some behind: look for more now rather than at the next signal.
            signal.Notify();
        }
    }

    private void WakeAt(DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        long seen;
        while (ticks < (seen = Interlocked.Read(ref wakeAtTicks)) && Interlocked.CompareExchange(ref wakeAtTicks, ticks, seen) != seen)
        {
        }

        signal.Notify();
    }

    private TimeSpan NextWait()
    {
        var poll = options.CurrentValue.PollInterval;
        var wake = Interlocked.Read(ref wakeAtTicks);
        if (wake == long.MaxValue)
        {
            return poll;
        }

        var untilWake = new DateTimeOffset(wake, TimeSpan.Zero) - clock.GetUtcNow();
        if (untilWake <= TimeSpan.Zero)
        {
            Interlocked.CompareExchange(ref wakeAtTicks, long.MaxValue, wake);
            return TimeSpan.Zero;
        }

        return untilWake < poll ? untilWake : poll;
    }

    [LoggerMessage(EventId = 510, Level = LogLevel.Warning, Message = "Webhook sender pass failed ({ExceptionType}); it will try again")]
    private static partial void LogPassFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 512, Level = LogLevel.Error, Message = "The signing secret of webhook endpoint {EndpointId} cannot be opened (was the master key changed?); its deliveries wait")]
    private static partial void LogSecretUnreadable(ILogger logger, string endpointId);

    [LoggerMessage(EventId = 511, Level = LogLevel.Information, Message = "Webhook delivery of {EventId} to endpoint {EndpointId} failed (attempt {Attempt}, status {StatusCode}, {Outcome})")]
    private static partial void LogAttemptFailed(ILogger logger, string endpointId, string eventId, int attempt, int? statusCode, string outcome);
}

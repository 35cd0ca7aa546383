using System.Collections.Concurrent;
using System.Data.Common;
using System.Security.Cryptography;
using AdoBridge.Events;
using AdoBridge.Operations;
using AdoBridge.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>
/// Sends due deliveries. Each pass leases as many as there are free slots (total and per endpoint), sends them
/// concurrently, and hands the results to the <see cref="DeliveryOutcomeWriter"/>. It wakes when the dispatcher or the API
/// queued something, when a slot frees up, when a retry it scheduled falls due, or at the poll interval.
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
    ILogger<WebhookSender> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, int> perEndpoint = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, bool> inFlight = new();
    private int total;
    private long wakeAtTicks = long.MaxValue;
    private DateTimeOffset lastProbe = DateTimeOffset.MinValue;

    private long sent;

    /// <summary>Attempts this instance has sent, for tests and benchmarks.</summary>
    public long Sent => Interlocked.Read(ref sent);

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
        while (!stoppingToken.IsCancellationRequested)
        {
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

        // Let the requests in flight finish (each is bounded by the timeout) and record them, so a restart does not resend them.
        await Task.WhenAll(inFlight.Keys);
        outcomes.Complete();
        await writer;
    }

    private async Task PumpAsync(CancellationToken ct)
    {
        var o = options.CurrentValue;
        var free = o.MaxConcurrency - Volatile.Read(ref total);
        if (free <= 0)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var until = now + o.Timeout + o.LeaseMargin;
        var caps = perEndpoint.Where(kv => kv.Value > 0).ToDictionary(kv => kv.Key, kv => Math.Max(0, o.MaxConcurrencyPerEndpoint - kv.Value), StringComparer.Ordinal);
        var claimed = await claims.ClaimAsync(InstanceId, free, o.MaxConcurrencyPerEndpoint, caps, o.CircuitBreakerThreshold, now, until, ct);
        if (claimed.Count < free && now - lastProbe >= o.PollInterval)
        {
            lastProbe = now;
            claimed.AddRange(await claims.ClaimProbesAsync(InstanceId, free - claimed.Count, o.CircuitBreakerThreshold, now, until, ct));
        }

        if (claimed.Count == 0)
        {
            return;
        }

        foreach (var c in claimed)
        {
            Interlocked.Increment(ref total);
            perEndpoint.AddOrUpdate(c.EndpointId, 1, (_, n) => n + 1);
        }

        await StartAsync(claimed, ct);

        // A full claim means more may be due: look again without waiting.
        if (claimed.Count == free)
        {
            signal.Notify();
        }
    }

    private async Task StartAsync(List<ClaimedDelivery> claimed, CancellationToken ct)
    {
        var started = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            var eventIds = claimed.Select(c => c.EventId).Distinct(StringComparer.Ordinal).ToList();
            Dictionary<string, byte[]> bodies;
            await using (var db = await contexts.CreateDbContextAsync(ct))
            {
                var rows = await db.Events.AsNoTracking().Where(e => eventIds.Contains(e.Id)).ToListAsync(ct);
                bodies = rows.ToDictionary(e => e.Id, DeliveryPayload.Build, StringComparer.Ordinal);
            }

            foreach (var c in claimed)
            {
                // Disabled or deleted since the claim, or the event is gone (retention): the lease goes back untried below.
                var target = await TargetAsync(c.EndpointId, ct);
                if (target is null || !target.Enabled || !bodies.TryGetValue(c.EventId, out var body))
                {
                    continue;
                }

                started.Add(c.Id);
                var task = SendAsync(c, target, body);
                inFlight.TryAdd(task, true);
                _ = task.ContinueWith(t => inFlight.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        finally
        {
            var untried = claimed.Where(c => !started.Contains(c.Id)).ToList();
            foreach (var c in untried)
            {
                Finished(c);
            }

            await ReleaseAsync(untried);
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
        catch (Exception e) when (e is DbException or InvalidOperationException or TimeoutException)
        {
            // The leases run out by themselves.
            LogPassFailed(logger, e.GetType().Name);
        }
    }

    private async Task SendAsync(ClaimedDelivery claim, EndpointTarget target, byte[] body)
    {
        await Task.Yield();
        AttemptResult result;
        try
        {
            // Not tied to the stopping token: a request already sent is finished and recorded, within the timeout.
            result = await http.SendAsync(target, claim.EventId, body, CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            result = new AttemptResult(clock.GetUtcNow(), 0, null, AttemptOutcome.Error, "AdoBridge could not send the request (" + e.GetType().Name + ").", null);
        }

        Interlocked.Increment(ref sent);
        if (!result.Succeeded)
        {
            LogAttemptFailed(logger, claim.EndpointId, claim.EventId, claim.Attempts + 1, result.StatusCode, result.Outcome);
        }

        outcomes.Enqueue(new CompletedAttempt(claim, result));
        Finished(claim);
        signal.Notify();
    }

    private void Finished(ClaimedDelivery claim)
    {
        Interlocked.Decrement(ref total);
        perEndpoint.AddOrUpdate(claim.EndpointId, 0, (_, n) => Math.Max(0, n - 1));
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

using AdoBridge.Telemetry;
using Microsoft.Extensions.Options;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>A leased delivery with everything needed to send it.</summary>
internal sealed record ReadyDelivery(ClaimedDelivery Claim, EndpointTarget Target, byte[] Body, DateTimeOffset LeaseUntil, DeliveryOrigin? Origin = null);

/// <summary>
/// The sender's slots: at most <see cref="WebhookDeliveryOptions.MaxConcurrency"/> requests in flight, and
/// <see cref="WebhookDeliveryOptions.MaxConcurrencyPerEndpoint"/> per endpoint; leased deliveries beyond that wait in a
/// short queue per endpoint. A queued delivery that waited more than half the lease margin is given back rather than
/// sent, so its lease still covers a full attempt and half the margin for recording it; and an endpoint whose request just failed gets its
/// queue given back and no new claims for a poll interval, so a failing endpoint is not sent its backlog at once.
/// </summary>
internal sealed class SenderSlots(IOptionsMonitor<WebhookDeliveryOptions> options, TimeProvider clock, int prefetch)
{
    private readonly Lock sync = new();
    private readonly Dictionary<string, Queue<ReadyDelivery>> waiting = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> failedAt = new(StringComparer.Ordinal);
    private readonly HashSet<Task> tasks = [];
    private readonly Dictionary<string, int> reserved = new(StringComparer.Ordinal);
    private readonly HashSet<string> healthy = new(StringComparer.Ordinal);
    private int runningTotal;
    private int waitingTotal;
    private int reservedTotal;
    private volatile bool accepting;

    /// <summary>Whether places may be reserved: from the sender's start until it stops.</summary>
    public bool Accepting { get => accepting; set => accepting = value; }

    /// <summary>
    /// Reserves a queue place for a delivery that ingest is about to store leased to this instance (see
    /// <see cref="WebhookSender.HandOffAsync"/>), so a new event goes straight to its endpoint without a claim. Only for an endpoint
    /// whose last attempt from this instance succeeded: one that is failing, unknown here or whose circuit may be open
    /// gets its deliveries through claims, which respect the circuit and the backoff.
    /// </summary>
    public bool TryReserve(string endpointId)
    {
        var o = options.CurrentValue;
        if (!accepting || !o.Enabled)
        {
            return false;
        }

        lock (sync)
        {
            if (!healthy.Contains(endpointId)
                || HeldLocked(endpointId) >= o.MaxConcurrencyPerEndpoint * prefetch
                || runningTotal + waitingTotal + reservedTotal >= o.MaxConcurrency * prefetch)
            {
                return false;
            }

            reserved[endpointId] = reserved.GetValueOrDefault(endpointId) + 1;
            reservedTotal++;
            return true;
        }
    }

    /// <summary>Gives back places reserved for deliveries that were not stored (the commit failed).</summary>
    public void Unreserve(IEnumerable<string> endpointIds)
    {
        lock (sync)
        {
            foreach (var id in endpointIds)
            {
                if (reserved.TryGetValue(id, out var n))
                {
                    reservedTotal--;
                    if (n <= 1)
                    {
                        reserved.Remove(id);
                    }
                    else
                    {
                        reserved[id] = n - 1;
                    }
                }
            }
        }
    }

    private int HeldLocked(string endpointId)
        => running.GetValueOrDefault(endpointId) + (waiting.TryGetValue(endpointId, out var q) ? q.Count : 0) + reserved.GetValueOrDefault(endpointId);

    /// <summary>How many deliveries to claim in all, and each endpoint's room where it differs from the default.</summary>
    public (int Free, Dictionary<string, int> Caps) Capacity(WebhookDeliveryOptions o, DateTimeOffset now)
    {
        lock (sync)
        {
            var caps = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var id in running.Keys.Union(waiting.Keys).Union(reserved.Keys).Union(failedAt.Keys))
            {
                var held = HeldLocked(id);
                var cooling = failedAt.TryGetValue(id, out var at) && now - at < o.PollInterval;
                caps[id] = cooling ? 0 : Math.Max(0, o.MaxConcurrencyPerEndpoint * prefetch - held);
            }

            foreach (var id in failedAt.Where(kv => now - kv.Value >= o.PollInterval).Select(kv => kv.Key).ToList())
            {
                failedAt.Remove(id);
            }

            return (o.MaxConcurrency * prefetch - runningTotal - waitingTotal - reservedTotal, caps);
        }
    }

    public void Enqueue(List<ReadyDelivery> ready)
    {
        lock (sync)
        {
            foreach (var r in ready)
            {
                if (!waiting.TryGetValue(r.Claim.EndpointId, out var queue))
                {
                    waiting[r.Claim.EndpointId] = queue = new Queue<ReadyDelivery>();
                }

                queue.Enqueue(r);
                waitingTotal++;
            }
        }
    }

    /// <summary>
    /// Takes queued deliveries while there are free slots (counting each as running) and the ones whose lease is too
    /// short to send, which the caller gives back.
    /// </summary>
    public (List<ReadyDelivery> Start, List<ClaimedDelivery> Stale) TakeStartable()
    {
        var o = options.CurrentValue;
        var now = clock.GetUtcNow();
        var start = new List<ReadyDelivery>();
        var stale = new List<ClaimedDelivery>();
        lock (sync)
        {
            foreach (var (endpoint, queue) in waiting.ToList())
            {
                while (queue.Count > 0 && runningTotal < o.MaxConcurrency && running.GetValueOrDefault(endpoint) < o.MaxConcurrencyPerEndpoint)
                {
                    var next = queue.Dequeue();
                    waitingTotal--;
                    if (next.LeaseUntil - now < o.Timeout + o.LeaseMargin / 2)
                    {
                        stale.Add(next.Claim);
                        continue;
                    }

                    running[endpoint] = running.GetValueOrDefault(endpoint) + 1;
                    runningTotal++;
                    start.Add(next);
                }

                if (queue.Count == 0)
                {
                    waiting.Remove(endpoint);
                }
            }
        }

        return (start, stale);
    }

    /// <summary>Keeps a started request's task until it ends, so a stopping sender can wait for those in flight.</summary>
    public void Track(Task task)
    {
        lock (sync)
        {
            tasks.Add(task);
        }

        _ = task.ContinueWith(t => { lock (sync) { tasks.Remove(t); } }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>
    /// Frees the request's slot. After a failure, returns the endpoint's queued deliveries to give back. <c>Low</c> says the
    /// endpoint's queue has drained to half (or this instance's total has), so a claim now would be worth its write.
    /// </summary>
    public (List<ClaimedDelivery> GiveBack, bool Low) Finished(string endpoint, bool succeeded)
    {
        var o = options.CurrentValue;
        lock (sync)
        {
            running[endpoint] = running.GetValueOrDefault(endpoint) - 1;
            runningTotal--;
            if (running[endpoint] <= 0)
            {
                running.Remove(endpoint);
            }

            if (succeeded)
            {
                healthy.Add(endpoint);
            }
            else
            {
                healthy.Remove(endpoint);
            }

            if (succeeded || !waiting.Remove(endpoint, out var queue))
            {
                if (!succeeded)
                {
                    failedAt[endpoint] = clock.GetUtcNow();
                    return ([], false);
                }

                var held = HeldLocked(endpoint);
                var low = held <= o.MaxConcurrencyPerEndpoint * prefetch / 2 || runningTotal + waitingTotal + reservedTotal <= o.MaxConcurrency * prefetch / 2;
                return ([], low);
            }

            failedAt[endpoint] = clock.GetUtcNow();
            waitingTotal -= queue.Count;
            return (queue.Select(r => r.Claim).ToList(), false);
        }
    }

    public List<ClaimedDelivery> DrainQueues()
    {
        lock (sync)
        {
            var all = waiting.Values.SelectMany(q => q).Select(r => r.Claim).ToList();
            waiting.Clear();
            waitingTotal = 0;
            return all;
        }
    }

    public Task[] RunningTasks()
    {
        lock (sync)
        {
            return [.. tasks];
        }
    }
}

using System.Threading.Channels;

namespace AdoBridge.Emulator;

/// <summary>One attempt (or a drop) of a service hook notification, as recorded for tests and the admin API.</summary>
/// <param name="Outcome">delivered, transientFailure, failed, terminalFailure, probationRetryFailed or dropped (subscription on probation).</param>
public sealed record EmulatorHookDelivery(
    Guid SubscriptionId,
    int NotificationId,
    Guid EventId,
    string EventType,
    string Url,
    int Attempt,
    string Outcome,
    int? StatusCode,
    string? Error,
    DateTimeOffset Time,
    string SubscriptionStatus,
    string Body);

/// <summary>A notification waiting for delivery: the envelope for one subscription, reused verbatim by every retry.</summary>
internal sealed record HookNotification(Guid SubscriptionId, int NotificationId, Guid EventId, string EventType, string Url, string Body, IReadOnlyDictionary<string, string> Headers);

/// <summary>Matches events to subscriptions (under the state lock) and queues the notifications; keeps the delivery log.</summary>
internal sealed class HookDispatcher
{
    private const int MaxLog = 10_000;
    private readonly Channel<HookNotification> _queue = Channel.CreateUnbounded<HookNotification>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<EmulatorHookDelivery> _log = [];
    private readonly Lock _logGate = new();
    private double _backoffFactor = 1.0;

    public ChannelReader<HookNotification> Reader => _queue.Reader;

    /// <summary>Multiplies the documented retry delays (1, 2, 4 … s transient; 20 min … 15 h probation) so tests run fast.</summary>
    public double BackoffFactor
    {
        get => Volatile.Read(ref _backoffFactor);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Volatile.Write(ref _backoffFactor, value);
        }
    }

    public IReadOnlyList<EmulatorHookDelivery> Deliveries
    {
        get
        {
            lock (_logGate)
            {
                return _log.ToArray();
            }
        }
    }

    public void ClearDeliveries()
    {
        lock (_logGate)
        {
            _log.Clear();
        }
    }

    public void Record(EmulatorHookDelivery delivery)
    {
        lock (_logGate)
        {
            if (_log.Count >= MaxLog)
            {
                _log.RemoveAt(0);
            }

            _log.Add(delivery);
        }
    }

    /// <summary>Queues the event for every matching subscription; the caller holds the state lock, so this never blocks on I/O.</summary>
    public void Publish(EmulatorData data, HookEvent e, DateTimeOffset now)
    {
        // One event, one id: every subscription's notification of it (and every retry) carries the same `id`.
        var eventId = Guid.NewGuid();
        foreach (var sub in data.HookSubscriptions.Where(s => HookMatching.Matches(s, e)).ToArray())
        {
            if (sub.Status is not ("enabled" or "onProbation"))
            {
                continue;
            }

            var notificationId = data.NextId("notification");
            var body = DevOpsJson.ToNode(HookEnvelope.Build(e, sub, notificationId, eventId, now))!.ToJsonString();
            var url = sub.ConsumerInputs.GetValueOrDefault("url") ?? string.Empty;
            if (sub.Status == "onProbation")
            {
                // The service loses new events while a subscription is on probation; only the failed one is retried.
                Record(new EmulatorHookDelivery(sub.Id, notificationId, eventId, e.EventType, url, 0, "dropped", null, "Subscription is on probation.", DateTimeOffset.UtcNow, sub.Status, body));
                continue;
            }

            _queue.Writer.TryWrite(new HookNotification(sub.Id, notificationId, eventId, e.EventType, url, body, HookEnvelope.Headers(sub)));
        }
    }
}

namespace AdoBridge.Emulator;

// Service hook subscriptions' health and the delivery log, for the delivery service, the admin API and tests.
public sealed partial class EmulatorState
{
    internal HookDispatcher Hooks { get; } = new();

    /// <summary>Every delivery attempt (and every event dropped because its subscription was on probation), oldest first.</summary>
    public IReadOnlyList<EmulatorHookDelivery> HookDeliveries => Hooks.Deliveries;

    public void ClearHookDeliveries() => Hooks.ClearDeliveries();

    /// <summary>Scales the documented webhook retry delays (1.0 = real delays; 0.001 makes 20 minutes 1.2 seconds).</summary>
    public void SetHookBackoffFactor(double factor) => Hooks.BackoffFactor = factor;

    /// <summary>Sets a subscription's status (enabled, onProbation, disabledByUser, disabledBySystem) as the service would.</summary>
    public void SetHookSubscriptionStatus(Guid subscriptionId, string status)
    {
        if (status is not ("enabled" or "onProbation" or "disabledByUser" or "disabledBySystem" or "disabledByInactiveIdentity"))
        {
            throw new ArgumentException($"Unknown subscription status '{status}'.", nameof(status));
        }

        if (Read(d => d.HookSubscriptions.Any(s => s.Id == subscriptionId)) is false)
        {
            throw new ArgumentException($"No subscription '{subscriptionId}'.", nameof(subscriptionId));
        }

        SetHookStatus(subscriptionId, status);
    }

    /// <summary>A subscription's consumer inputs as stored, confidential ones unmasked; null when there is no such subscription.</summary>
    public IReadOnlyDictionary<string, string>? HookConsumerInputs(Guid subscriptionId)
        => Read(d => d.HookSubscriptions.FirstOrDefault(s => s.Id == subscriptionId) is { } sub
            ? new Dictionary<string, string>(sub.ConsumerInputs, StringComparer.OrdinalIgnoreCase)
            : null);

    internal string HookStatus(Guid subscriptionId) => Read(d => d.HookSubscriptions.FirstOrDefault(s => s.Id == subscriptionId)?.Status ?? "deleted");

    internal string SetHookStatus(Guid subscriptionId, string status, bool fromProbationOnly = false) => Write(d =>
    {
        var sub = d.HookSubscriptions.FirstOrDefault(s => s.Id == subscriptionId);
        if (sub is null)
        {
            return "deleted";
        }

        if (!fromProbationOnly || sub.Status == "onProbation")
        {
            sub.Status = status;
            if (status == "enabled")
            {
                sub.ProbationRetries = 0;
            }
        }

        return sub.Status;
    });

    internal string CountProbationRetry(Guid subscriptionId, int max) => Write(d =>
    {
        var sub = d.HookSubscriptions.FirstOrDefault(s => s.Id == subscriptionId);
        if (sub is null)
        {
            return "deleted";
        }

        sub.ProbationRetries++;
        sub.LastProbationRetryDate = Now;
        if (sub.ProbationRetries >= max)
        {
            sub.Status = "disabledBySystem";
        }

        return sub.Status;
    });

    /// <summary>Matches and queues an event; called with the state lock held, right after the change it reports.</summary>
    internal void PublishLocked(EmulatorData data, HookEvent e) => Hooks.Publish(data, e, Now);
}

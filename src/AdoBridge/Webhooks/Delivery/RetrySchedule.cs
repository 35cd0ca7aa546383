namespace AdoBridge.Webhooks.Delivery;

/// <summary>When a failed delivery is tried next (exponential steps with jitter), when it is dead, and how long an opened circuit waits.</summary>
internal static class RetrySchedule
{
    /// <summary>The next attempt's time after attempt <paramref name="attempts"/> failed, or null when the schedule is used up (dead).</summary>
    public static DateTimeOffset? Next(WebhookDeliveryOptions options, int attempts, DateTimeOffset now)
    {
        var schedule = options.EffectiveRetrySchedule;
        if (attempts < 1 || attempts > schedule.Count)
        {
            return null;
        }

        var delay = schedule[attempts - 1];
#pragma warning disable CA5394 // jitter that spreads retries out, not a secret
        var spread = 1 + options.RetryJitter * (2 * Random.Shared.NextDouble() - 1);
#pragma warning restore CA5394
        return now + TimeSpan.FromTicks((long)(delay.Ticks * spread));
    }

    /// <summary>How long the circuit stays open after the <paramref name="failedTrials"/>-th failed trial (0 when it first opens).</summary>
    public static TimeSpan OpenDuration(WebhookDeliveryOptions options, int failedTrials)
    {
        var ticks = options.CircuitBreakerOpenDuration.Ticks * Math.Pow(2, Math.Min(failedTrials, 30));
        return ticks >= options.CircuitBreakerMaxOpenDuration.Ticks ? options.CircuitBreakerMaxOpenDuration : TimeSpan.FromTicks((long)ticks);
    }
}

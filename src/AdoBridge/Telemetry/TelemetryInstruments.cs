using System.Diagnostics.Metrics;
using System.Globalization;

namespace AdoBridge.Telemetry;

/// <summary>
/// The catalogue of AdoBridge's own push instruments (the README's Telemetry section lists them with the gauges of
/// <see cref="StoreGauges"/>). Labels are bounded: event types, outcomes, statuses; never ids.
/// </summary>
internal static class TelemetryInstruments
{
    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600, 21600, 86400];

    public static readonly Counter<long> EventsIngested = AdoBridgeTelemetry.Meter.CreateCounter<long>(
        "adobridge.events.ingested", "{event}", "Service-hook notifications received, by normalised event type and outcome (accepted, duplicate, unavailable, refused).");

    public static readonly Counter<long> DeliveryAttempts = AdoBridgeTelemetry.Meter.CreateCounter<long>(
        "adobridge.delivery.attempts", "{attempt}", "Webhook delivery attempts, by outcome (succeeded, failed, timeout, error, destination_refused).");

    public static readonly Histogram<double> DeliveryLatency = AdoBridgeTelemetry.Meter.CreateHistogram(
        "adobridge.delivery.latency", "s", "From the event being stored to its successful delivery to an endpoint (retries included).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });

    public static readonly Counter<long> TokenRefreshes = AdoBridgeTelemetry.Meter.CreateCounter<long>(
        "adobridge.token.refreshes", "{refresh}", "Token refreshes against the identity provider, by outcome (renewed, needs_reauth, error, deferred) and auth type.");

    public static readonly Histogram<double> RateLimitRemaining = AdoBridgeTelemetry.Meter.CreateHistogram(
        "adobridge.azure_devops.rate_limit.remaining", "{TSTU}", "X-RateLimit-Remaining on Azure DevOps answers that carry it (throughput units left in the window).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0, 10, 25, 50, 100, 150, 200, 500] });

    public static readonly Histogram<double> RateLimitDelay = AdoBridgeTelemetry.Meter.CreateHistogram(
        "adobridge.azure_devops.rate_limit.delay", "s", "Delay Azure DevOps asked for (Retry-After, or X-RateLimit-Delay when it slowed the request down).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0, 0.5, 1, 2, 5, 10, 30, 60, 120, 300] });

    /// <summary>Counts one ingest outcome for an event of <paramref name="eventType"/> (null when the body was not understood).</summary>
    public static void Ingested(string? eventType, string outcome)
    {
        if (EventsIngested.Enabled)
        {
            EventsIngested.Add(1, new(TelemetryTags.EventType, eventType ?? "unknown"), new(TelemetryTags.Outcome, outcome));
        }
    }

    /// <summary>Counts one delivery attempt; on success, records how long after the event was stored it arrived.</summary>
    public static void Attempted(string outcome, string eventId, DateTimeOffset now, bool succeeded)
    {
        if (DeliveryAttempts.Enabled)
        {
            DeliveryAttempts.Add(1, new KeyValuePair<string, object?>(TelemetryTags.Outcome, outcome));
        }

        if (succeeded && DeliveryLatency.Enabled && IdTime(eventId) is { } stored)
        {
            DeliveryLatency.Record(Math.Max(0, (now - stored).TotalSeconds));
        }
    }

    /// <summary>Counts one token refresh's outcome; null (nothing was asked of the identity provider) is not counted.</summary>
    public static void Refreshed(string? outcome, string authType)
    {
        if (outcome is not null && TokenRefreshes.Enabled)
        {
            TokenRefreshes.Add(1, new(TelemetryTags.Outcome, outcome), new("adobridge.auth.type", authType));
        }
    }

    /// <summary>Records the rate-limit headers of an Azure DevOps answer, when it has any.</summary>
    public static void RateLimits(HttpResponseMessage response)
    {
        if (!RateLimitRemaining.Enabled && !RateLimitDelay.Enabled)
        {
            return;
        }

        var headers = response.Headers;
        if (headers.TryGetValues("X-RateLimit-Remaining", out var remaining) && Number(remaining) is { } left)
        {
            RateLimitRemaining.Record(left);
        }

        if (headers.RetryAfter?.Delta is { } delta)
        {
            RateLimitDelay.Record(Math.Max(0, delta.TotalSeconds));
        }
        else if (headers.RetryAfter?.Date is { } date)
        {
            RateLimitDelay.Record(Math.Max(0, (date - DateTimeOffset.UtcNow).TotalSeconds));
        }
        else if (headers.TryGetValues("X-RateLimit-Delay", out var delay) && Number(delay) is { } seconds)
        {
            RateLimitDelay.Record(Math.Max(0, seconds));
        }
    }

    private static double? Number(IEnumerable<string> values)
        => double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;

    /// <summary>When an id was made: AdoBridge ids carry their creation time in milliseconds (see Storage's Ids).</summary>
    private static DateTimeOffset? IdTime(string id)
    {
        var underscore = id.IndexOf('_', StringComparison.Ordinal);
        return underscore > 0 && id.Length >= underscore + 13
            && long.TryParse(id.AsSpan(underscore + 1, 12), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var millis)
            ? DateTimeOffset.FromUnixTimeMilliseconds(millis)
            : null;
    }
}

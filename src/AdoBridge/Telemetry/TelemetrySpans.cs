using System.Diagnostics;

namespace AdoBridge.Telemetry;

/// <summary>
/// The spans AdoBridge starts itself (the README's Telemetry section lists them), each with ids as attributes and never a
/// secret, token, signature or URL. Each starter returns null when nothing listens, so a call site costs a branch.
/// </summary>
internal static class TelemetrySpans
{
    public const string IngestBatch = "adobridge.ingest.batch";
    public const string DeliveryAttempt = "adobridge.webhook.deliver";
    public const string TokenRefresh = "adobridge.token.refresh";
    public const string AzureDevOpsCall = "adobridge.azure_devops.call";

    /// <summary>Describes the ingest request's span (the server span) with the event it stored.</summary>
    public static void TagIngestedEvent(string eventId, string eventType, string? connectionId, string? subscriptionId)
    {
        if (Activity.Current is { IsAllDataRequested: true } current)
        {
            current.SetTag(TelemetryTags.EventId, eventId);
            current.SetTag(TelemetryTags.EventType, eventType);
            current.SetTag(TelemetryTags.ConnectionId, connectionId);
            current.SetTag(TelemetryTags.SubscriptionId, subscriptionId);
        }
    }

    /// <summary>
    /// One group commit: its own trace (a batch serves many requests), linked to the ingest request of each event in it.
    /// </summary>
    public static Activity? StartIngestBatch(int size, IEnumerable<string?> eventTraceParents)
    {
        if (!AdoBridgeTelemetry.Source.HasListeners())
        {
            return null;
        }

        var links = eventTraceParents.Select(AdoBridgeTelemetry.ParseTraceParent).Where(c => c != default).Distinct().Select(c => new ActivityLink(c)).ToList();
        Activity.Current = null;
        var activity = AdoBridgeTelemetry.Source.StartActivity(IngestBatch, ActivityKind.Internal, parentContext: default, links: links);
        activity?.SetTag(TelemetryTags.BatchSize, size);
        return activity;
    }

    /// <summary>
    /// One delivery attempt to a product's endpoint, a client span continuing the trace of the request that ingested the
    /// event (from its stored traceparent); the product receives this span's context in `traceparent`.
    /// </summary>
    public static Activity? StartDeliveryAttempt(string deliveryId, string eventId, string endpointId, int attempt, DeliveryOrigin? origin)
    {
        var activity = AdoBridgeTelemetry.StartContinuing(DeliveryAttempt, ActivityKind.Client, origin?.TraceParent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(TelemetryTags.DeliveryId, deliveryId);
            activity.SetTag(TelemetryTags.EventId, eventId);
            activity.SetTag(TelemetryTags.EndpointId, endpointId);
            activity.SetTag(TelemetryTags.DeliveryAttempt, attempt);
            activity.SetTag(TelemetryTags.EventType, origin?.EventType);
            activity.SetTag(TelemetryTags.ConnectionId, origin?.ConnectionId);
            activity.SetTag(TelemetryTags.HttpMethod, "POST");
        }

        return activity;
    }

    /// <summary>Ends a delivery attempt's span with its outcome, and counts it.</summary>
    public static void EndDeliveryAttempt(Activity? activity, string outcome, int? statusCode, bool succeeded, string eventId, DateTimeOffset now)
    {
        TelemetryInstruments.Attempted(outcome, eventId, now, succeeded);
        if (activity is null)
        {
            return;
        }

        activity.SetTag(TelemetryTags.Outcome, outcome);
        activity.SetTag(TelemetryTags.HttpStatusCode, statusCode);
        if (!succeeded)
        {
            activity.SetStatus(ActivityStatusCode.Error, outcome);
        }

        activity.Dispose();
    }

    /// <summary>One token request to the identity provider for a connection.</summary>
    public static Activity? StartTokenRefresh(string connectionId, string authType)
    {
        var activity = AdoBridgeTelemetry.Source.StartActivity(TokenRefresh, ActivityKind.Internal);
        activity?.SetTag(TelemetryTags.ConnectionId, connectionId);
        activity?.SetTag(TelemetryTags.AuthType, authType);
        return activity;
    }

    /// <summary>One call to Azure DevOps as a connection, covering its attempts (a refresh and retry, waits for Retry-After).</summary>
    public static Activity? StartAzureDevOpsCall(string connectionId)
    {
        var activity = AdoBridgeTelemetry.Source.StartActivity(AzureDevOpsCall, ActivityKind.Internal);
        activity?.SetTag(TelemetryTags.ConnectionId, connectionId);
        return activity;
    }
}

/// <summary>What a delivery's span needs from its event: the stored traceparent to continue, and attributes.</summary>
internal sealed record DeliveryOrigin(string? TraceParent, string EventType, string? ConnectionId);

namespace AdoBridge.Telemetry;

/// <summary>
/// Attribute and label names. Ids are span attributes only; metric labels are bounded (types, outcomes, statuses), so a
/// metrics backend's series count does not grow with connections or events.
/// </summary>
internal static class TelemetryTags
{
    public const string EventId = "adobridge.event.id";
    public const string EventType = "adobridge.event.type";
    public const string DeliveryId = "adobridge.delivery.id";
    public const string DeliveryAttempt = "adobridge.delivery.attempt";
    public const string EndpointId = "adobridge.endpoint.id";
    public const string ConnectionId = "adobridge.connection.id";
    public const string SubscriptionId = "adobridge.subscription.id";
    public const string AuthType = "adobridge.auth.type";
    public const string BatchSize = "adobridge.ingest.batch.size";
    public const string BatchStored = "adobridge.ingest.batch.stored";
    public const string Attempts = "adobridge.azure_devops.attempts";
    public const string Outcome = "outcome";
    public const string Status = "status";
    public const string Stat = "stat";
    public const string HttpStatusCode = "http.response.status_code";
    public const string HttpMethod = "http.request.method";
}

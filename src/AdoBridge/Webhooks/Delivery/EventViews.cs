using System.Text.Json;
using AdoBridge.Storage;
using AdoBridge.Webhooks.Delivery;

namespace AdoBridge.Webhooks.Delivery;

/// <summary>One event in the log: the data the product receives and how its delivery is going.</summary>
/// <remarks>`status` is derived from its deliveries: `dead` (one gave up), `failed` (one is retrying), `pending` (not sent yet),
/// `delivered` (every endpoint got it), `none` (no endpoint wanted it). `azureDevOpsEventId` is Azure DevOps' event id: the
/// same on the events of every connection that one Azure DevOps event reached.</remarks>
internal sealed record EventView(
    string Id, string Type, string Source, string? AzureDevOpsEventId, string? ConnectionId, string? Organization, string? Project, string? Repository,
    JsonElement Data, string Status, DateTimeOffset CreatedAt, DateTimeOffset? DispatchedAt)
{
    public static EventView From(EventEntity e, string status) => new(
        e.Id, e.Type, e.Source, e.SourceEventId, e.ConnectionId, e.Organization, e.Project, e.Repository, EventJson.Parse(e.Payload), status, e.CreatedAt, e.DispatchedAt);
}

internal sealed record EventList(IReadOnlyList<EventView> Items, string? NextCursor);

/// <summary>One event with the raw Azure DevOps payload and every delivery with its attempts.</summary>
internal sealed record EventDetail(
    string Id, string Type, string Source, string? SourceEventType, string? AzureDevOpsEventId, string? ConnectionId, string? Organization, string? Project, string? Repository,
    JsonElement Data, JsonElement? RawPayload, string Status, DateTimeOffset CreatedAt, DateTimeOffset? DispatchedAt, IReadOnlyList<DeliveryDetail> Deliveries);

/// <summary>A delivery as listed: `status` is pending (not tried yet), failed (retrying at nextAttemptAt), succeeded or dead.</summary>
internal sealed record DeliveryView(
    string Id, string EventId, string EndpointId, string Status, int AttemptCount, DateTimeOffset? NextAttemptAt, int? LastStatusCode, string? LastError,
    DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt)
{
    public static DeliveryView From(DeliveryEntity d) => new(
        d.Id, d.EventId, d.EndpointId, DeliveryStatus.Show(d.Status, d.Attempts), d.Attempts,
        d.Status == DeliveryStatus.Pending ? d.NextAttemptAt : null, d.LastStatusCode, d.LastError, d.CreatedAt, d.CompletedAt);
}

internal sealed record DeliveryDetail(
    string Id, string EndpointId, string Status, int AttemptCount, DateTimeOffset? NextAttemptAt, int? LastStatusCode, string? LastError,
    DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt, IReadOnlyList<AttemptView> Attempts);

/// <summary>One attempt: the status code (null when no answer came), outcome (succeeded, failed, timeout, error), time taken and the answer's first KiB.</summary>
internal sealed record AttemptView(int Attempt, DateTimeOffset StartedAt, int DurationMs, int? StatusCode, string Outcome, string? Error, string? ResponseBody)
{
    public static AttemptView From(DeliveryAttemptEntity a) => new(a.Attempt, a.StartedAt, a.DurationMs, a.StatusCode, a.Outcome, a.Error, a.ResponseBody);
}

internal sealed record DeliveryList(IReadOnlyList<DeliveryView> Items, string? NextCursor);

internal sealed record ReplayRequest(string? EndpointId);

internal sealed record ReplayResult(string EventId, IReadOnlyList<DeliveryView> Deliveries);

internal static class EventJson
{
    public static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>The raw payload as JSON when it is JSON (Azure DevOps always sends JSON), else as a JSON string.</summary>
    public static JsonElement? ParseRaw(string? raw)
    {
        if (raw is null)
        {
            return null;
        }

        try
        {
            return Parse(raw);
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(raw);
        }
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Collections.Frozen;
using System.Text.Json;

namespace AdoBridge.Webhooks.Normalization;

/// <summary>Turns an Azure DevOps service-hook notification into AdoBridge's <see cref="NormalizedEvent"/>.
/// Pure and allocation-light: it runs on the ingest path before the event is stored.</summary>
internal static class ServiceHookNormalizer
{
    /// <summary>A family normaliser: the event, or null with a refusal a person can act on.</summary>
    private delegate NormalizedEvent? Normalize(in HookInput input, out string? error);

    // Routed on eventType, never on publisherId: the newer samples send "azure-devops" where subscriptions say "tfs".
    private static readonly FrozenDictionary<string, (string Type, Normalize Normalize)> Routes = new Dictionary<string, (string, Normalize)>(StringComparer.Ordinal)
    {
        ["git.pullrequest.created"] = (NormalizedEventTypes.PullRequestCreated, PullRequestEvents.Normalize),
        ["git.pullrequest.updated"] = (NormalizedEventTypes.PullRequestUpdated, PullRequestEvents.Normalize),
        ["git.pullrequest.merged"] = (NormalizedEventTypes.PullRequestMerged, PullRequestEvents.Normalize),
        ["ms.vss-code.git-pullrequest-comment-event"] = (NormalizedEventTypes.PullRequestCommented, PullRequestEvents.NormalizeComment),
        ["git.push"] = (NormalizedEventTypes.GitPush, CodeEvents.NormalizePush),
        ["tfvc.checkin"] = (NormalizedEventTypes.TfvcCheckin, CodeEvents.NormalizeCheckin),
        ["git.repo.created"] = (NormalizedEventTypes.RepositoryCreated, RepositoryEvents.Normalize),
        ["git.repo.deleted"] = (NormalizedEventTypes.RepositoryDeleted, RepositoryEvents.Normalize),
        ["git.repo.forked"] = (NormalizedEventTypes.RepositoryForked, RepositoryEvents.Normalize),
        ["git.repo.renamed"] = (NormalizedEventTypes.RepositoryRenamed, RepositoryEvents.Normalize),
        ["git.repo.statuschanged"] = (NormalizedEventTypes.RepositoryStatusChanged, RepositoryEvents.Normalize),
        ["workitem.created"] = (NormalizedEventTypes.WorkItemCreated, WorkItemEvents.Normalize),
        ["workitem.updated"] = (NormalizedEventTypes.WorkItemUpdated, WorkItemEvents.Normalize),
        ["workitem.deleted"] = (NormalizedEventTypes.WorkItemDeleted, WorkItemEvents.Normalize),
        ["workitem.restored"] = (NormalizedEventTypes.WorkItemRestored, WorkItemEvents.Normalize),
        ["workitem.commented"] = (NormalizedEventTypes.WorkItemCommented, WorkItemEvents.Normalize),
        ["build.complete"] = (NormalizedEventTypes.BuildCompleted, BuildEvents.Normalize),
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The Azure DevOps event types this normalises, for subscription validation and documentation.</summary>
    public static IReadOnlyCollection<string> SourceEventTypes => Routes.Keys;

    /// <summary>false with a one-sentence error a person can act on when the JSON is not a service-hook notification this
    /// knows (no eventType, no resource object, unknown eventType, resource of the wrong shape for its type).</summary>
    public static bool TryNormalize(JsonElement envelope, [NotNullWhen(true)] out NormalizedEvent? result, [NotNullWhen(false)] out string? error)
    {
        try
        {
            return TryNormalizeCore(envelope, out result, out error);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            // JsonElement throws these for text it cannot decode (an escaped unpaired surrogate such as "\uD800"), which
            // parsing lets through; a notification from Azure DevOps never contains one.
            result = null;
            error = "The notification contains a string that is not valid UTF-16 text (an unpaired surrogate escape), so it was not read.";
            return false;
        }
    }

    private static bool TryNormalizeCore(JsonElement envelope, [NotNullWhen(true)] out NormalizedEvent? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        if (envelope.ValueKind != JsonValueKind.Object)
        {
            error = $"The body is a JSON {Kind(envelope.ValueKind)}, not an object; a service-hook notification is an object with eventType and resource.";
            return false;
        }

        if (!envelope.TryGetProperty("eventType", out var eventTypeElement) || eventTypeElement.ValueKind != JsonValueKind.String
            || eventTypeElement.GetString() is not { Length: > 0 } eventType)
        {
            error = "The body has no eventType string, so it is not an Azure DevOps service-hook notification.";
            return false;
        }

        if (!Routes.TryGetValue(eventType, out var route))
        {
            error = $"The event type '{Shorten(eventType)}' is not one AdoBridge normalises; subscribe to one of: {string.Join(", ", Routes.Keys.Order(StringComparer.Ordinal))}.";
            return false;
        }

        if (!envelope.TryGetProperty("resource", out var resource) || resource.ValueKind == JsonValueKind.Null)
        {
            error = $"The {eventType} notification has no resource; set the subscription's resourceDetailsToSend to all.";
            return false;
        }

        if (resource.ValueKind != JsonValueKind.Object)
        {
            error = $"The {eventType} notification's resource is a JSON {Kind(resource.ValueKind)}, not an object.";
            return false;
        }

        var input = new HookInput(envelope, resource, eventType, route.Type);
        result = route.Normalize(in input, out error);
        if (result is null)
        {
            error ??= input.Missing("readable content");
            return false;
        }

        error = null;
        return true;
    }

    private static string Kind(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "value",
    };

    // The event type is echoed so the operator sees what arrived; a hostile body must not make the error huge.
    private static string Shorten(string value) => value.Length <= 100 ? value : value[..100] + "…";
}

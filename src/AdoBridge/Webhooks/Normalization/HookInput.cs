using System.Text.Json;
using System.Text.Json.Nodes;

namespace AdoBridge.Webhooks.Normalization;

/// <summary>One notification on its way through a family normaliser: the envelope, its resource object and the
/// AdoBridge type it routes to, with what every family needs (messages, organisation, the event's common fields).</summary>
internal readonly struct HookInput(JsonElement envelope, JsonElement resource, string sourceEventType, string type)
{
    public JsonElement Envelope { get; } = envelope;

    public JsonElement Resource { get; } = resource;

    public string SourceEventType { get; } = sourceEventType;

    /// <summary>The AdoBridge type the route table chose for <see cref="SourceEventType"/>.</summary>
    public string Type { get; } = type;

    /// <summary>The envelope's message.text; null when the subscription sends no messages.</summary>
    public string? MessageText => HookJson.Str(Envelope, "message", "text");

    /// <summary>Every rendering of message and detailedMessage, for classifying what happened. The subscription's
    /// messagesToSend / detailedMessagesToSend may leave only one of text, html or markdown, so all are read.</summary>
    public string AllMessageText()
    {
        var parts = new List<string>(6);
        foreach (var container in (ReadOnlySpan<string>)["message", "detailedMessage"])
        {
            if (HookJson.TryObject(Envelope, container, out var message))
            {
                foreach (var rendering in (ReadOnlySpan<string>)["text", "markdown", "html"])
                {
                    if (HookJson.Str(message, rendering) is { Length: > 0 } text)
                    {
                        parts.Add(text);
                    }
                }
            }
        }

        return string.Join('\n', parts);
    }

    /// <summary>resourceContainers.project.id: the project a notification belongs to when the resource does not say.</summary>
    public string? ContainerProjectId => HookJson.Str(Envelope, "resourceContainers", "project", "id");

    /// <summary>The organisation, from resourceContainers base URLs first (account, collection, project), then from the
    /// given resource URLs in order. Older samples and Azure DevOps Server 2015 send no baseUrl.</summary>
    public string? Organization(string? url1, string? url2 = null, string? url3 = null)
    {
        if (HookJson.TryObject(Envelope, "resourceContainers", out var containers))
        {
            foreach (var container in (ReadOnlySpan<string>)["account", "collection", "project"])
            {
                if (OrganizationNames.FromBaseUrl(HookJson.Str(containers, container, "baseUrl")) is { } fromBase)
                {
                    return fromBase;
                }
            }
        }

        return OrganizationNames.FromResourceUrl(url1) ?? OrganizationNames.FromResourceUrl(url2) ?? OrganizationNames.FromResourceUrl(url3);
    }

    /// <summary>The event, with organization, project, repository (when known, unless the family put a fuller one there)
    /// and message added to <paramref name="data"/> so every family's data carries them the same way.</summary>
    public NormalizedEvent Event(string? organization, string? projectId, string? projectName, string? repositoryId, string? repositoryName, JsonObject data)
    {
        data["organization"] = organization;
        data["project"] = HookJson.Reference(projectId, projectName);
        if ((repositoryId is not null || repositoryName is not null) && !data.ContainsKey("repository"))
        {
            data["repository"] = HookJson.Reference(repositoryId, repositoryName);
        }

        if (MessageText is { } message)
        {
            data["message"] = message;
        }

        return new NormalizedEvent(Type, SourceEventType, HookJson.Id(Envelope, "id"), organization, projectId, projectName, repositoryId, repositoryName, data,
            HookJson.Str(Envelope, "resourceContainers", "collection", "id"), ContainerProjectId);
    }

    /// <summary>The refusal for a resource that lacks an essential member.</summary>
    public string Missing(string what) =>
        $"The {SourceEventType} notification's resource has no {what}; check that the subscription sends all resource details (resourceDetailsToSend = all).";
}

using System.Text.Json.Nodes;
using AdoBridge.Webhooks.Normalization;
using AdoBridge.Webhooks.Subscriptions;

namespace AdoBridge.Webhooks.Ingest;

/// <summary>
/// A genuine hook may still be sent something it was not created for (a payload copied from elsewhere, a misrouted
/// notification): the event type must be the hook's, and the collection, project and (for a repository-scoped
/// subscription) repository the payload names must be the subscription's. What is stored then comes from the
/// subscription and the checked ids, never from names in the payload alone. In-memory only: no database round trip.
/// </summary>
internal static class HookPayloadCheck
{
    /// <summary>Null when the payload belongs to the hook, else the problem's code and a message saying what differs.</summary>
    public static (string Code, string Message)? Refusal(HookTarget hook, NormalizedEvent e)
    {
        if (!e.SourceEventType.Equals(hook.EventType, StringComparison.OrdinalIgnoreCase))
        {
            return ("event_type_mismatch",
                $"This hook was created for '{hook.EventType}' events, but the payload is a '{Shorten(e.SourceEventType)}' event. Each AdoBridge hook URL receives one event type.");
        }

        // resourceContainers.project is what Azure DevOps says; the resource's own project is the fallback for a payload without it.
        var projectId = e.ContainerProjectId ?? e.ProjectId;
        if (projectId is null)
        {
            return ("resource_mismatch", "The payload names no project (resourceContainers.project.id), so it cannot be matched to this hook's subscription.");
        }

        if (!SameId(projectId, hook.ProjectId))
        {
            return ("resource_mismatch", $"The payload is from project '{Shorten(projectId)}', but this hook's subscription is for project '{hook.ProjectId}' ({hook.ProjectName}).");
        }

        if (hook.CollectionId is not null && e.ContainerCollectionId is { } collectionId && !SameId(collectionId, hook.CollectionId))
        {
            return ("resource_mismatch", $"The payload is from collection '{Shorten(collectionId)}', but this hook's subscription is in organisation '{hook.Organization}' (collection '{hook.CollectionId}').");
        }

        if (hook.RepositoryId is not null && e.RepositoryId is { } repositoryId && ServiceHookEventTypes.Find(hook.EventType) is { RepositoryScoped: true }
            && !SameId(repositoryId, hook.RepositoryId))
        {
            return ("resource_mismatch", $"The payload is about repository '{Shorten(repositoryId)}', but this hook's subscription is limited to repository '{hook.RepositoryId}' ({hook.RepositoryName}).");
        }

        return null;
    }

    /// <summary>The organisation and project to store are the subscription's (the payload's ids were checked to be its;
    /// names in a payload are not checked, so they are not trusted); the repository is the payload's within that project.</summary>
    public static (string Organization, string Project, string? Repository) Where(HookTarget hook, NormalizedEvent e)
    {
        e.Data["organization"] = hook.Organization;
        e.Data["project"] = new JsonObject { ["id"] = hook.ProjectId, ["name"] = hook.ProjectName };
        return (hook.Organization, hook.ProjectName, e.RepositoryName ?? hook.RepositoryName);
    }

    private static bool SameId(string a, string b) => a.Equals(b, StringComparison.OrdinalIgnoreCase);

    // Payload text is echoed so the operator sees what arrived; a hostile body must not make the answer huge.
    private static string Shorten(string value) => value.Length <= 100 ? value : value[..100] + "…";
}

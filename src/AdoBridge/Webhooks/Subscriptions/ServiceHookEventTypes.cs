namespace AdoBridge.Webhooks.Subscriptions;

/// <summary>One Azure DevOps service-hook event AdoBridge can subscribe to.</summary>
/// <param name="EventType">Azure DevOps' event type, as sent to the subscriptions API.</param>
/// <param name="Alias">The AdoBridge event it becomes, accepted as input too.</param>
/// <param name="ResourceVersion">Pinned explicitly: Microsoft advises always naming one, and the comment event only exists in 2.0.</param>
/// <param name="RepositoryScoped">Whether the `repository` publisher input filters it (Git events only).</param>
internal sealed record ServiceHookEventType(string EventType, string Alias, string ResourceVersion, bool RepositoryScoped);

/// <summary>The service-hook events of publisher `tfs` that a subscription may ask for.</summary>
internal static class ServiceHookEventTypes
{
    public static readonly IReadOnlyList<ServiceHookEventType> All =
    [
        new("git.pullrequest.created", "pull_request.created", "1.0", true),
        new("git.pullrequest.updated", "pull_request.updated", "1.0", true),
        new("ms.vss-code.git-pullrequest-comment-event", "pull_request.commented", "2.0", true),
        new("git.pullrequest.merged", "pull_request.merged", "1.0", true),
        new("git.push", "git.push", "1.0", true),
        new("git.repo.created", "repository.created", "1.0", false),
        new("git.repo.deleted", "repository.deleted", "1.0", true),
        new("git.repo.forked", "repository.forked", "1.0", true),
        new("git.repo.renamed", "repository.renamed", "1.0", true),
        new("git.repo.statuschanged", "repository.status_changed", "1.0", true),
        new("workitem.created", "work_item.created", "1.0", false),
        new("workitem.updated", "work_item.updated", "1.0", false),
        new("workitem.deleted", "work_item.deleted", "1.0", false),
        new("workitem.restored", "work_item.restored", "1.0", false),
        new("workitem.commented", "work_item.commented", "1.0", false),
        new("build.complete", "build.completed", "2.0", false),
        new("tfvc.checkin", "tfvc.checkin", "1.0", false),
    ];

    /// <summary>Finds an event by Azure DevOps' name or AdoBridge's, ignoring case.</summary>
    public static ServiceHookEventType? Find(string name)
        => All.FirstOrDefault(e => e.EventType.Equals(name, StringComparison.OrdinalIgnoreCase) || e.Alias.Equals(name, StringComparison.OrdinalIgnoreCase));

    public static string Names => string.Join(", ", All.Select(e => e.EventType));
}

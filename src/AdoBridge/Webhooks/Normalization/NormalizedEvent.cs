using System.Text.Json.Nodes;

namespace AdoBridge.Webhooks.Normalization;

/// <summary>An Azure DevOps service-hook notification as AdoBridge stores and delivers it: an AdoBridge event type,
/// where it happened, and the compact product-facing <see cref="Data"/> (the raw payload is kept separately by ingest).</summary>
/// <param name="Type">AdoBridge event type, one of <see cref="NormalizedEventTypes"/>.</param>
/// <param name="SourceEventType">The envelope's <c>eventType</c> as sent.</param>
/// <param name="SourceEventId">The envelope's <c>id</c> (Azure DevOps reuses it when it retries a notification).</param>
/// <param name="Organization">Organisation (account) name, from <c>resourceContainers</c> base URLs or resource URLs.</param>
/// <param name="ContainerCollectionId">resourceContainers.collection.id: the collection Azure DevOps says the event is from.</param>
/// <param name="ContainerProjectId">resourceContainers.project.id: the project Azure DevOps says the event is from.</param>
internal sealed record NormalizedEvent(
    string Type,
    string SourceEventType,
    string? SourceEventId,
    string? Organization,
    string? ProjectId,
    string? ProjectName,
    string? RepositoryId,
    string? RepositoryName,
    JsonObject Data,
    string? ContainerCollectionId = null,
    string? ContainerProjectId = null);

/// <summary>The event types AdoBridge delivers for Azure DevOps notifications (webhook endpoints filter on these).</summary>
internal static class NormalizedEventTypes
{
    public const string PullRequestCreated = "pull_request.created";
    public const string PullRequestUpdated = "pull_request.updated";
    public const string PullRequestCommented = "pull_request.commented";
    public const string PullRequestMerged = "pull_request.merged";
    public const string GitPush = "git.push";
    public const string WorkItemCreated = "work_item.created";
    public const string WorkItemUpdated = "work_item.updated";
    public const string WorkItemDeleted = "work_item.deleted";
    public const string WorkItemRestored = "work_item.restored";
    public const string WorkItemCommented = "work_item.commented";
    public const string BuildCompleted = "build.completed";
    public const string RepositoryCreated = "repository.created";
    public const string RepositoryDeleted = "repository.deleted";
    public const string RepositoryForked = "repository.forked";
    public const string RepositoryRenamed = "repository.renamed";
    public const string RepositoryStatusChanged = "repository.status_changed";
    public const string TfvcCheckin = "tfvc.checkin";
}

/// <summary>Values of <c>change</c> on <see cref="NormalizedEventTypes.PullRequestUpdated"/>: Azure DevOps' notificationType
/// filter values (PushNotification, ReviewersUpdateNotification, StatusUpdateNotification, ReviewerVoteNotification),
/// recovered from the payload because the body does not carry them.</summary>
internal static class PullRequestChanges
{
    public const string SourcePushed = "source_pushed";
    public const string ReviewersChanged = "reviewers_changed";
    public const string StatusChanged = "status_changed";
    public const string Vote = "vote";

    /// <summary>Something changed that the payload does not say (a title or description edit, for example).</summary>
    public const string Updated = "updated";
}

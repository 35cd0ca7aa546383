using System.ComponentModel.DataAnnotations;
using AdoBridge.Storage;
namespace AdoBridge.Webhooks.Subscriptions;

internal sealed record CreateSubscriptionRequest(
    [property: Required, System.ComponentModel.Description("The organisation, one the connection holds.")] string? Organization,
    [property: Required, System.ComponentModel.Description("The project, by name or id.")] string? Project,
    [property: System.ComponentModel.Description("Only this repository's events (name or id); default: every repository of the project.")] string? Repository,
    [property: System.ComponentModel.Description("Azure DevOps event types (e.g. `git.pullrequest.created`); default: all that AdoBridge supports.")] IReadOnlyList<string>? Events);

internal sealed record NamedRef(string Id, string Name);

/// <summary>One Azure DevOps service hook of a subscription, as the product sees it (never its URL or secret).</summary>
internal sealed record ServiceHookView(string Id, string EventType, string Event, string? AzureSubscriptionId, string? AzureStatus,
    DateTimeOffset? LastEventAt, DateTimeOffset? LastCheckedAt);

internal sealed record SubscriptionView(
    string Id, string ConnectionId, string Organization, NamedRef Project, NamedRef? Repository, string Status, string? StatusReason,
    DateTimeOffset? EventsMayBeMissedSince, DateTimeOffset? LastCheckedAt, IReadOnlyList<ServiceHookView> Hooks, DateTimeOffset CreatedAt,
    IReadOnlyList<string>? Repairs = null)
{
    public static SubscriptionView From(SubscriptionEntity s, IEnumerable<ServiceHookEntity> hooks, IReadOnlyList<string>? repairs = null) => new(
        s.Id, s.ConnectionId, s.Organization, new NamedRef(s.ProjectId, s.ProjectName),
        s.RepositoryId is null ? null : new NamedRef(s.RepositoryId, s.RepositoryName ?? s.RepositoryId),
        s.Status, s.StatusReason, s.EventsMayBeMissedSince, s.LastCheckedAt,
        hooks.OrderBy(h => h.CreatedAt).ThenBy(h => h.Id).Select(h => new ServiceHookView(
            h.Id, h.EventType, ServiceHookEventTypes.Find(h.EventType)?.Alias ?? h.EventType, h.AdoSubscriptionId, h.AdoStatus, h.LastEventAt, h.LastCheckedAt)).ToList(),
        s.CreatedAt, repairs);
}

internal sealed record SubscriptionList(IReadOnlyList<SubscriptionView> Items, string? NextCursor);

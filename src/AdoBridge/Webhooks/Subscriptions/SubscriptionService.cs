using AdoBridge.Actions;
using AdoBridge.Connections;
using AdoBridge.Problems;
using AdoBridge.Storage;
using AdoBridge.Webhooks.Ingest;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.Webhooks.Subscriptions;

/// <summary>
/// Subscriptions of a connection: one row for what the product asked, one Azure DevOps service hook per event type.
/// Hook rows are committed before Azure DevOps is asked, so an event fired the moment a hook exists finds its path.
/// </summary>
internal sealed partial class SubscriptionService(
    IDbContextFactory<AdoBridgeDbContext> contexts, HookRegistrar registrar, HookDirectory directory, TimeProvider clock, ILogger<SubscriptionService> log)
    : IConnectionCleanup
{
    public async Task<(SubscriptionView? View, ProblemHttpResult? Problem)> CreateAsync(ActionTarget target, CreateSubscriptionRequest request, CancellationToken ct)
    {
        var (types, invalid) = Validate(request);
        if (invalid is not null)
        {
            return (null, invalid);
        }

        var (project, problem) = await registrar.ResolveAsync(target, ActionInput.Path(string.Empty, "_apis", "projects", request.Project!).TrimEnd('/'), ct);
        if (project is null)
        {
            return (null, problem is { StatusCode: 404 } or null
                ? Problem.NotFound("project_not_found", $"Organisation '{target.Organization}' has no project '{request.Project}' that this connection can see.")
                : problem);
        }

        NamedRef? repository = null;
        if (request.Repository is not null)
        {
            (repository, problem) = await registrar.ResolveAsync(target, ActionInput.Path(string.Empty, project.Id, "_apis", "git", "repositories", request.Repository).TrimEnd('/'), ct);
            if (repository is null)
            {
                return (null, problem is { StatusCode: 404 } or null
                    ? Problem.NotFound("repository_not_found", $"Project '{project.Name}' has no repository '{request.Repository}' that this connection can see.")
                    : problem);
            }
        }

        var now = clock.GetUtcNow();
        var subscription = new SubscriptionEntity
        {
            Id = Ids.New("sub", clock),
            EnvironmentId = target.Connection.EnvironmentId,
            ConnectionId = target.Connection.Id,
            Organization = target.Organization,
            ProjectId = project.Id,
            ProjectName = project.Name,
            RepositoryId = repository?.Id,
            RepositoryName = repository?.Name,
            Status = SubscriptionStatus.Active,
            LastCheckedAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var hooks = types.Select(t => registrar.NewHook(subscription, t)).ToList();
        await using var db = await contexts.CreateDbContextAsync(ct);
        db.Subscriptions.Add(subscription);
        db.ServiceHooks.AddRange(hooks.Select(h => h.Hook));
        await db.SaveChangesAsync(ct);

        foreach (var (hook, path, secret) in hooks)
        {
            if (await registrar.CreateAsync(target, subscription, hook, path, secret, ct) is { } failed)
            {
                // All or nothing: undo the hooks Azure DevOps already holds, then the rows.
                await RemoveAsync(target, db, subscription, hooks.Select(h => h.Hook).ToList(), CancellationToken.None);
                return (null, failed);
            }
        }

        // Kept so ingest can check each payload's collection: the hostId Azure DevOps put on the hooks (set by CreateAsync),
        // else connectionData's; if neither says now, the next health check asks again.
        subscription.CollectionId ??= await registrar.CollectionIdAsync(target, ct);
        await db.SaveChangesAsync(ct);
        LogCreated(log, subscription.Id, subscription.ConnectionId, hooks.Count);
        return (SubscriptionView.From(subscription, hooks.Select(h => h.Hook)), null);
    }

    public async Task<SubscriptionList> ListAsync(string environmentId, string connectionId, string? cursor, int limit, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var query = db.Subscriptions.AsNoTracking().Where(s => s.EnvironmentId == environmentId && s.ConnectionId == connectionId);
        if (cursor is not null)
        {
            query = query.Where(s => string.Compare(s.Id, cursor) > 0);
        }

        var rows = await query.OrderBy(s => s.Id).Take(limit + 1).ToListAsync(ct);
        var page = rows.Take(limit).ToList();
        var ids = page.Select(s => s.Id).ToList();
        var hooks = (await db.ServiceHooks.AsNoTracking().Where(h => ids.Contains(h.SubscriptionId)).ToListAsync(ct)).ToLookup(h => h.SubscriptionId);
        return new SubscriptionList(page.Select(s => SubscriptionView.From(s, hooks[s.Id])).ToList(), rows.Count > limit ? page[^1].Id : null);
    }

    public async Task<(SubscriptionEntity Subscription, List<ServiceHookEntity> Hooks)?> FindAsync(string environmentId, string connectionId, string id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var subscription = await db.Subscriptions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id && s.EnvironmentId == environmentId && s.ConnectionId == connectionId, ct);
        return subscription is null ? null : (subscription, await db.ServiceHooks.AsNoTracking().Where(h => h.SubscriptionId == id).ToListAsync(ct));
    }

    /// <summary>Deletes the subscription here and its hooks in Azure DevOps. A hook Azure DevOps refuses to delete is
    /// reported, but the rows go anyway: its path then answers 404 and Azure DevOps disables it by its own rules.</summary>
    public async Task<ProblemHttpResult?> DeleteAsync(ActionTarget target, string id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var subscription = await db.Subscriptions.FirstOrDefaultAsync(s => s.Id == id && s.EnvironmentId == target.Connection.EnvironmentId && s.ConnectionId == target.Connection.Id, ct);
        if (subscription is null)
        {
            return Problem.NotFound("subscription_not_found", $"Connection '{target.Connection.Id}' has no subscription '{id}'.");
        }

        var hooks = await db.ServiceHooks.Where(h => h.SubscriptionId == id).ToListAsync(ct);
        await RemoveAsync(target, db, subscription, hooks, ct);
        return null;
    }

    /// <summary>Removes every subscription of a connection that is being deleted, in Azure DevOps first while the
    /// connection's credentials still exist.</summary>
    public async Task CleanUpAsync(ConnectionEntity connection, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var subscriptions = await db.Subscriptions.Where(s => s.ConnectionId == connection.Id).ToListAsync(ct);
        foreach (var subscription in subscriptions)
        {
            var hooks = await db.ServiceHooks.Where(h => h.SubscriptionId == subscription.Id).ToListAsync(ct);
            await RemoveAsync(new ActionTarget(connection, subscription.Organization), db, subscription, hooks, ct);
        }
    }

    private async Task RemoveAsync(ActionTarget target, AdoBridgeDbContext db, SubscriptionEntity subscription, List<ServiceHookEntity> hooks, CancellationToken ct)
    {
        foreach (var hook in hooks.Where(h => h.AdoSubscriptionId is not null))
        {
            if (await registrar.DeleteAsync(target, hook.AdoSubscriptionId!, ct) is { } failed)
            {
                LogAzureDeleteFailed(log, hook.Id, failed.StatusCode);
            }
        }

        db.ServiceHooks.RemoveRange(hooks);
        db.Subscriptions.Remove(subscription);
        await db.SaveChangesAsync(ct);
        foreach (var hook in hooks)
        {
            directory.Forget(hook.PathHash);
        }
    }

    private static (List<ServiceHookEventType> Types, ProblemHttpResult? Problem) Validate(CreateSubscriptionRequest request)
    {
        if (ActionInput.Segments((request.Organization, "organization"), (request.Project, "project")) is { } bad)
        {
            return ([], bad);
        }

        if (request.Repository is not null && ActionInput.Segment(request.Repository, "repository") is { } badRepo)
        {
            return ([], badRepo);
        }

        if (request.Events is not { Count: > 0 })
        {
            return ([], ActionInput.Invalid("events", $"list at least one event, for example [\"git.pullrequest.created\"]. Known: {ServiceHookEventTypes.Names}."));
        }

        var types = new List<ServiceHookEventType>();
        foreach (var name in request.Events)
        {
            var type = ServiceHookEventTypes.Find(name ?? string.Empty);
            if (type is null)
            {
                return ([], ActionInput.Invalid("events", $"'{name}' is not a service-hook event AdoBridge can subscribe to. Known: {ServiceHookEventTypes.Names}."));
            }

            if (!types.Contains(type))
            {
                types.Add(type);
            }
        }

        if (request.Repository is not null && types.All(t => !t.RepositoryScoped))
        {
            return ([], ActionInput.Invalid("repository", "only Git events (pull requests, pushes, repository changes) can be limited to a repository; leave it out for work item and build events."));
        }

        return (types, null);
    }

    [LoggerMessage(EventId = 5201, Level = LogLevel.Information, Message = "Subscription {SubscriptionId} created for connection {ConnectionId} with {HookCount} service hooks.")]
    private static partial void LogCreated(ILogger logger, string subscriptionId, string connectionId, int hookCount);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "Azure DevOps did not delete the service hook of {HookId} (answer {Status}); removed here anyway.")]
    private static partial void LogAzureDeleteFailed(ILogger logger, string hookId, int? status);
}

using AdoBridge.Actions;
using AdoBridge.Events;
using AdoBridge.Storage;
using AdoBridge.Webhooks.Ingest;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.Webhooks.Subscriptions;

/// <summary>
/// Reads a subscription's hooks back from Azure DevOps and repairs those that are not `enabled`. A hook on probation
/// ("Enabled (restricted)") drops new events until a retry succeeds, and a disabled or deleted one drops all of them,
/// so each is recreated with fresh credentials, and the subscription records since when events may have been missed
/// (with a `subscription.repaired` event, so the product can reconcile from the REST API).
/// </summary>
internal sealed partial class SubscriptionHealth(
    IDbContextFactory<AdoBridgeDbContext> contexts, HookRegistrar registrar, HookDirectory directory, EventRecorder events, EventSignal signal,
    TimeProvider clock, ILogger<SubscriptionHealth> log)
{
    public const string RepairedEvent = "subscription.repaired";

    /// <summary>Checks and repairs one subscription; returns its view with what was repaired, or null when it is gone.</summary>
    public async Task<SubscriptionView?> CheckAsync(ConnectionEntity connection, string subscriptionId, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var subscription = await db.Subscriptions.FirstOrDefaultAsync(s => s.Id == subscriptionId && s.ConnectionId == connection.Id, ct);
        if (subscription is null)
        {
            return null;
        }

        var hooks = await db.ServiceHooks.Where(h => h.SubscriptionId == subscriptionId).ToListAsync(ct);
        var target = new ActionTarget(connection, subscription.Organization);
        var now = clock.GetUtcNow();
        var repairs = new List<string>();
        var failures = new List<string>();
        DateTimeOffset? missedSince = null;
        var collectionBefore = subscription.CollectionId;
        foreach (var hook in hooks)
        {
            var (status, exposed, hostId, readProblem) = hook.AdoSubscriptionId is null
                ? (null, false, null, null)
                : await registrar.ReadStatusAsync(target, hook.AdoSubscriptionId, ct);
            if (readProblem is not null)
            {
                failures.Add($"{hook.EventType}: could not be read from Azure DevOps ({Detail(readProblem)})");
                continue;
            }

            subscription.CollectionId = hostId ?? subscription.CollectionId;

            if (status is "enabled" && exposed)
            {
                await MoveSecretAsync(db, target, subscription, hook, repairs, failures, ct);
                continue;
            }

            if (status is "enabled")
            {
                hook.AdoStatus = status;
                hook.LastCheckedAt = now;
                continue;
            }

            // Events are safe up to the last time the hook was seen healthy (or its last event, if later).
            var healthySince = Later(hook.LastCheckedAt ?? hook.CreatedAt, hook.LastEventAt);
            var was = status ?? "missing";
            if (hook.AdoSubscriptionId is not null && status is not null)
            {
                await registrar.DeleteAsync(target, hook.AdoSubscriptionId, ct);
            }

            var oldPath = hook.PathHash;
            var (path, secret) = registrar.Rekey(hook);
            await db.SaveChangesAsync(ct);
            directory.Forget(oldPath);
            if (await registrar.CreateAsync(target, subscription, hook, path, secret, ct) is { } failed)
            {
                hook.AdoSubscriptionId = null;
                hook.AdoStatus = "missing";
                failures.Add($"{hook.EventType}: was {was} and could not be recreated ({Detail(failed)})");
            }
            else
            {
                repairs.Add($"{hook.EventType}: was {was}, recreated");
            }

            missedSince = missedSince is null || healthySince < missedSince ? healthySince : missedSince;
        }

        // Subscriptions made before the collection id was kept learn it here; ingest checks it from then on.
        subscription.CollectionId ??= await registrar.CollectionIdAsync(target, ct);

        subscription.LastCheckedAt = now;
        subscription.UpdatedAt = now;
        subscription.Status = failures.Count == 0 ? SubscriptionStatus.Active : failures.Count == hooks.Count ? SubscriptionStatus.Failed : SubscriptionStatus.Degraded;
        subscription.StatusReason = failures.Count == 0 ? null : string.Join("; ", failures);
        if (missedSince is not null)
        {
            subscription.EventsMayBeMissedSince = subscription.EventsMayBeMissedSince is { } earlier && earlier < missedSince ? earlier : missedSince;
            events.Add(db, subscription.EnvironmentId, RepairedEvent, subscription.ConnectionId, new
            {
                subscriptionId = subscription.Id,
                connectionId = subscription.ConnectionId,
                organization = subscription.Organization,
                project = subscription.ProjectName,
                repository = subscription.RepositoryName,
                repairs,
                failures,
                eventsMayBeMissedSince = missedSince,
                repairedAt = now,
            });
            LogRepaired(log, subscription.Id, repairs.Count, failures.Count);
        }

        await db.SaveChangesAsync(ct);
        if (subscription.CollectionId != collectionBefore)
        {
            // Ingest's cached view of these hooks lacks the collection now stored.
            foreach (var hook in hooks)
            {
                directory.Forget(hook.PathHash);
            }
        }

        if (missedSince is not null)
        {
            signal.Notify();
        }

        return SubscriptionView.From(subscription, hooks, repairs.Concat(failures).ToList());
    }

    /// <summary>
    /// A healthy hook whose secret anyone listing the organisation's subscriptions could read (in httpHeaders, as hooks
    /// made before it moved to the confidential basicAuthPassword alone) gets fresh credentials in a new Azure DevOps
    /// subscription, created before the old one is deleted: the old URL and secret are refused from the moment the new
    /// ones are stored, so only a notification sent during that one call to Azure DevOps meets a refusal (which Azure
    /// DevOps retries as any failed notification); after it, the new subscription receives every event.
    /// </summary>
    private async Task MoveSecretAsync(AdoBridgeDbContext db, ActionTarget target, SubscriptionEntity subscription, ServiceHookEntity hook,
        List<string> repairs, List<string> failures, CancellationToken ct)
    {
        var (oldAdoId, oldPath, oldSecretHash, oldSecret) = (hook.AdoSubscriptionId!, hook.PathHash, hook.SecretHash, hook.Secret);
        var (path, secret) = registrar.Rekey(hook);
        await db.SaveChangesAsync(ct);
        directory.Forget(oldPath);
        if (await registrar.CreateAsync(target, subscription, hook, path, secret, ct) is { } failed)
        {
            // The old subscription keeps working with its old credentials until the next check tries again.
            var newPath = hook.PathHash;
            (hook.AdoSubscriptionId, hook.PathHash, hook.SecretHash, hook.Secret) = (oldAdoId, oldPath, oldSecretHash, oldSecret);
            await db.SaveChangesAsync(ct);
            directory.Forget(newPath);
            failures.Add($"{hook.EventType}: its secret is readable in httpHeaders and new credentials could not be set ({Detail(failed)})");
            return;
        }

        await registrar.DeleteAsync(target, oldAdoId, ct);
        repairs.Add($"{hook.EventType}: secret moved to the confidential basicAuthPassword input, with new credentials");
        LogSecretMoved(log, subscription.Id, hook.Id);
    }

    private static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset? b) => b is { } v && v > a ? v : a;

    private static string Detail(Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult problem)
        => problem.ProblemDetails.Detail ?? problem.ProblemDetails.Title ?? $"status {problem.StatusCode}";

    [LoggerMessage(EventId = 5205, Level = LogLevel.Information, Message = "Subscription {SubscriptionId}: hook {HookId} had its secret in httpHeaders; it now has new credentials in basicAuthPassword only.")]
    private static partial void LogSecretMoved(ILogger logger, string subscriptionId, string hookId);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Warning, Message = "Subscription {SubscriptionId}: {Repaired} service hooks recreated, {Failed} could not be; events may have been missed.")]
    private static partial void LogRepaired(ILogger logger, string subscriptionId, int repaired, int failed);
}

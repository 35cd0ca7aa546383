using AdoBridge.Actions;
using AdoBridge.Hosting;
using AdoBridge.Security;
using AdoBridge.Storage;
using AdoBridge.Webhooks.Ingest;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Webhooks.Subscriptions;

/// <summary>Creates, reads and deletes one Azure DevOps service-hook subscription pointing at AdoBridge's ingest.</summary>
internal sealed class HookRegistrar(ActionCaller caller, SecretProtector protector, PublicUrls urls, TimeProvider clock)
{
    private const string HooksPath = "_apis/hooks/subscriptions";

    /// <summary>A new hook row with fresh credentials; the plain path and secret are returned for the one call that sends them.</summary>
    public (ServiceHookEntity Hook, string Path, string Secret) NewHook(SubscriptionEntity subscription, ServiceHookEventType type)
    {
        var path = HookCredentials.NewPath();
        var secret = HookCredentials.NewSecret();
        var id = Ids.New("hook", clock);
        var now = clock.GetUtcNow();
        return (new ServiceHookEntity
        {
            Id = id,
            SubscriptionId = subscription.Id,
            EnvironmentId = subscription.EnvironmentId,
            ConnectionId = subscription.ConnectionId,
            EventType = type.EventType,
            ResourceVersion = type.ResourceVersion,
            PathHash = HookCredentials.Hash(path),
            SecretHash = HookCredentials.Hash(secret),
            Secret = protector.Protect(secret, HookCredentials.SecretPurpose),
            CreatedAt = now,
            UpdatedAt = now,
        }, path, secret);
    }

    /// <summary>Gives the hook fresh credentials (used when Azure DevOps' subscription has to be created again).</summary>
    public (string Path, string Secret) Rekey(ServiceHookEntity hook)
    {
        var path = HookCredentials.NewPath();
        var secret = HookCredentials.NewSecret();
        hook.PathHash = HookCredentials.Hash(path);
        hook.SecretHash = HookCredentials.Hash(secret);
        hook.Secret = protector.Protect(secret, HookCredentials.SecretPurpose);
        return (path, secret);
    }

    /// <summary>Creates the subscription in Azure DevOps and records its id and status on the hook.</summary>
    public async Task<ProblemHttpResult?> CreateAsync(ActionTarget target, SubscriptionEntity subscription, ServiceHookEntity hook, string path, string secret, CancellationToken ct)
    {
        var type = ServiceHookEventTypes.Find(hook.EventType)!;
        var publisherInputs = new Dictionary<string, string> { ["projectId"] = subscription.ProjectId };
        if (type.RepositoryScoped && subscription.RepositoryId is not null)
        {
            publisherInputs["repository"] = subscription.RepositoryId;
        }

        var body = new
        {
            publisherId = "tfs",
            eventType = type.EventType,
            resourceVersion = type.ResourceVersion,
            consumerId = "webHooks",
            consumerActionId = "httpRequest",
            publisherInputs,
            // The secret goes only in basicAuthPassword, the one input of the webHooks consumer that Azure DevOps marks
            // isConfidential (masked when subscriptions are read); httpHeaders is shown in clear to anyone who can list them.
            consumerInputs = new Dictionary<string, string>
            {
                ["url"] = $"{urls.BaseUrl}/hooks/ado/{path}",
                ["basicAuthUsername"] = HookCredentials.UserName,
                ["basicAuthPassword"] = secret,
                ["resourceDetailsToSend"] = "all",
                ["messagesToSend"] = "all",
                ["detailedMessagesToSend"] = "all",
            },
        };
        var answer = await caller.SendAsync(target, HttpMethod.Post, HooksPath, null, body, ct);
        if (answer.Problem is not null)
        {
            return answer.Problem;
        }

        if (HostId(answer.Json) is { } hostId)
        {
            subscription.CollectionId = hostId;
        }

        hook.AdoSubscriptionId = ActionInput.Text(answer.Json, "id");
        hook.AdoStatus = ActionInput.Text(answer.Json, "status") ?? "enabled";
        hook.LastCheckedAt = clock.GetUtcNow();
        hook.UpdatedAt = clock.GetUtcNow();
        return null;
    }

    /// <summary>Azure DevOps' view of the hook: its status (null when the subscription no longer exists), and whether the
    /// secret shows in an input anyone who can list subscriptions reads (hooks made before it moved to basicAuthPassword
    /// alone carried it in httpHeaders too).</summary>
    public async Task<(string? Status, bool SecretExposed, string? HostId, ProblemHttpResult? Problem)> ReadStatusAsync(ActionTarget target, string adoSubscriptionId, CancellationToken ct)
    {
        var answer = await caller.SendAsync(target, HttpMethod.Get, $"{HooksPath}/{Uri.EscapeDataString(adoSubscriptionId)}", null, null, ct);
        if (answer.Problem is { StatusCode: 404 })
        {
            return (null, false, null, null);
        }

        if (answer.Problem is not null)
        {
            return (null, false, null, answer.Problem);
        }

        var exposed = answer.Json.TryGetProperty("consumerInputs", out var inputs) && ActionInput.Text(inputs, "httpHeaders") is { } headers
            && headers.Contains(HookCredentials.SecretHeader, StringComparison.OrdinalIgnoreCase);
        return (ActionInput.Text(answer.Json, "status") ?? "enabled", exposed, HostId(answer.Json), null);
    }

    /// <summary>publisherInputs.hostId, which Azure DevOps adds to a subscription: its collection's id, the one every payload
    /// names in resourceContainers.collection (and work item links as pcguid).</summary>
    private static string? HostId(System.Text.Json.JsonElement subscription)
        => subscription.ValueKind == System.Text.Json.JsonValueKind.Object && subscription.TryGetProperty("publisherInputs", out var inputs)
            && ActionInput.Text(inputs, "hostId") is { } id && Guid.TryParse(id, out _) ? id : null;

    /// <summary>The collection id from connectionData's instanceId, for when a subscription's answer names no hostId;
    /// null when it cannot be read now.</summary>
    public async Task<string?> CollectionIdAsync(ActionTarget target, CancellationToken ct)
    {
        var answer = await caller.SendAsync(target, HttpMethod.Get, "_apis/connectionData", null, null, ct, apiVersion: ActionCaller.ApiVersion + "-preview");
        return answer.Problem is null && ActionInput.Text(answer.Json, "instanceId") is { } id && Guid.TryParse(id, out _) ? id : null;
    }

    /// <summary>Deletes the subscription in Azure DevOps; one that is already gone counts as deleted.</summary>
    public async Task<ProblemHttpResult?> DeleteAsync(ActionTarget target, string adoSubscriptionId, CancellationToken ct)
    {
        var answer = await caller.SendAsync(target, HttpMethod.Delete, $"{HooksPath}/{Uri.EscapeDataString(adoSubscriptionId)}", null, null, ct);
        return answer.Problem is { StatusCode: 404 } ? null : answer.Problem;
    }

    /// <summary>Looks up a project or repository by name or id, as Azure DevOps spells it.</summary>
    public async Task<(NamedRef? Found, ProblemHttpResult? Problem)> ResolveAsync(ActionTarget target, string path, CancellationToken ct)
    {
        var answer = await caller.SendAsync(target, HttpMethod.Get, path, null, null, ct);
        if (answer.Problem is not null)
        {
            return (null, answer.Problem);
        }

        return ActionInput.Text(answer.Json, "id") is { } id ? (new NamedRef(id, ActionInput.Text(answer.Json, "name") ?? id), null) : (null, null);
    }
}

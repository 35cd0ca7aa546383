using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using AdoBridge.Actions;
using AdoBridge.AzureDevOps;
using AdoBridge.Connections;
using AdoBridge.Emulator;
using AdoBridge.Problems;
using AdoBridge.Storage;
using AdoBridge.Webhooks.Subscriptions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AdoBridge.Sandbox;

/// <summary>POST /v1/sandbox/trigger's body: the event to make happen, and optionally the connection whose hooks should hear it.</summary>
internal sealed record TriggerRequest(
    [property: System.ComponentModel.Description("The event to make happen, e.g. `pull_request.created`.")] string? Event,
    [property: System.ComponentModel.Description("The connection whose subscription should hear it; default: a sandbox connection of the environment (a PAT connection is made if there is none).")] string? Connection);

/// <summary>What a trigger did: the connection and subscription used (and whether it made them), each step in the emulator, and the ids to wait for.</summary>
internal sealed record TriggerResult(
    string Event, string ConnectionId, bool ConnectionCreated, string SubscriptionId, bool SubscriptionCreated,
    string Organization, string Project, string Repository, IReadOnlyList<string> Steps, IReadOnlyDictionary<string, object> Resource,
    string? AzureDevOpsEventId, string? EventId);

/// <summary>
/// Makes the emulator do the real thing for an event type (a branch, a commit and a pull request; a work item; a comment…)
/// through its ordinary REST API, so the whole chain runs: service hook, ingest, event, delivery, stream. First it finds or
/// makes a connection, and subscribes its project to the event if no active subscription covers it; then it waits (briefly)
/// for the emulator to have delivered the service hook, and answers with Azure DevOps' event id and AdoBridge's.
/// </summary>
internal sealed class SandboxTrigger(
    ConnectionService connections, PatConnector pats, SubscriptionService subscriptions,
    IDbContextFactory<AdoBridgeDbContext> contexts, IHttpClientFactory http)
{
    /// <summary>The events a trigger can make, with the Azure DevOps service-hook event each becomes.</summary>
    public static readonly IReadOnlyDictionary<string, string> Events = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["pull_request.created"] = "git.pullrequest.created",
        ["pull_request.updated"] = "git.pullrequest.updated",
        ["pull_request.merged"] = "git.pullrequest.merged",
        ["pull_request.commented"] = "ms.vss-code.git-pullrequest-comment-event",
        ["git.push"] = "git.push",
        ["work_item.created"] = "workitem.created",
        ["work_item.updated"] = "workitem.updated",
        ["work_item.commented"] = "workitem.commented",
        ["work_item.deleted"] = "workitem.deleted",
    };

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(50);

    public async Task<Results<Ok<TriggerResult>, ProblemHttpResult>> RunAsync(string environmentId, TriggerRequest request, SandboxDetails details, CancellationToken ct)
    {
        if (request.Event is null || !Events.TryGetValue(request.Event, out var adoEvent))
        {
            return Problem.BadRequest("invalid_trigger", $"`event` must be one of: {string.Join(", ", Events.Keys)}.");
        }

        var connectionCreated = false;
        ConnectionEntity? connection;
        if (request.Connection is { } id)
        {
            connection = await connections.FindAsync(environmentId, id, ct);
            if (connection is null)
            {
                return Problem.NotFound("connection_not_found", $"There is no connection '{(id.Length <= 64 ? id : id[..64] + "…")}' in this API key's environment; leave `connection` out to use (or make) a sandbox connection.");
            }
        }
        else
        {
            var page = await connections.ListAsync(environmentId, null, ConnectionStatus.Active, null, null, null, 1, ct);
            if (page.Items is [var existing, ..])
            {
                connection = existing;
            }
            else
            {
                try
                {
                    connection = await CreatePatConnectionAsync(environmentId, details, ct);
                }
                catch (SandboxTriggerException e)
                {
                    return Problem.Create(StatusCodes.Status502BadGateway, "emulator_refused", "The emulator refused", e.Message);
                }

                connectionCreated = true;
            }
        }

        var (subscription, hook, subscriptionCreated, problem) = await CoveringSubscriptionAsync(connection, adoEvent, ct);
        if (problem is not null)
        {
            return problem;
        }

        var repository = subscription!.RepositoryName ?? (subscription.ProjectName == EmulatorDefaults.Project ? EmulatorDefaults.Repository : subscription.ProjectName);
        var before = await DeliveredEventIdsAsync(details, hook!.AdoSubscriptionId, ct);
        using var actor = EmulatorActor.Create(http, details.EmulatorBaseUrl, details.Pat, subscription.Organization, subscription.ProjectName, repository);
        var steps = new List<string>();
        var resource = new Dictionary<string, object>(StringComparer.Ordinal);
        try
        {
            await ActAsync(actor, request.Event, steps, resource, ct);
        }
        catch (SandboxTriggerException e)
        {
            return Problem.Create(StatusCodes.Status502BadGateway, "emulator_refused", "The emulator refused", e.Message);
        }

        var adoEventId = await WaitForDeliveryAsync(details, hook.AdoSubscriptionId, adoEvent, before, ct);
        string? eventId = null;
        if (adoEventId is not null)
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            eventId = await db.Events.AsNoTracking().Where(e => e.ConnectionId == connection.Id && e.SourceEventId == adoEventId).Select(e => e.Id).FirstOrDefaultAsync(ct);
        }

        return TypedResults.Ok(new TriggerResult(request.Event, connection.Id, connectionCreated, subscription.Id, subscriptionCreated,
            subscription.Organization, subscription.ProjectName, repository, steps, resource, adoEventId, eventId));
    }

    private static async Task ActAsync(EmulatorActor actor, string type, List<string> steps, Dictionary<string, object> resource, CancellationToken ct)
    {
        var tag = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        if (type.StartsWith("work_item.", StringComparison.Ordinal))
        {
            var workItem = await actor.CreateWorkItemAsync($"Sandbox trigger {tag}", ct);
            resource["workItemId"] = workItem;
            steps.Add($"created work item {workItem}");
            switch (type)
            {
                case "work_item.updated":
                    await actor.UpdateWorkItemAsync(workItem, $"Sandbox trigger {tag} (renamed)", ct);
                    steps.Add($"renamed work item {workItem}");
                    break;
                case "work_item.commented":
                    await actor.CommentOnWorkItemAsync(workItem, "A comment from the sandbox trigger.", ct);
                    steps.Add($"commented on work item {workItem}");
                    break;
                case "work_item.deleted":
                    await actor.DeleteWorkItemAsync(workItem, ct);
                    steps.Add($"deleted work item {workItem}");
                    break;
            }

            return;
        }

        var branch = $"refs/heads/adobridge/trigger-{tag}";
        var commit = await actor.PushAsync(branch, null, $"/adobridge-trigger/{tag}.md", $"# Sandbox trigger {tag}\n", ct);
        resource["branch"] = branch;
        resource["commitId"] = commit;
        steps.Add($"pushed commit {commit[..8]} to new branch {branch}");
        if (type == "git.push")
        {
            return;
        }

        var (pullRequest, sourceCommit) = await actor.CreatePullRequestAsync(branch, $"Sandbox trigger {tag}", ct);
        resource["pullRequestId"] = pullRequest;
        steps.Add($"created pull request {pullRequest}");
        switch (type)
        {
            case "pull_request.updated":
                await actor.RetitlePullRequestAsync(pullRequest, $"Sandbox trigger {tag} (retitled)", ct);
                steps.Add($"retitled pull request {pullRequest}");
                break;
            case "pull_request.commented":
                resource["threadId"] = await actor.CommentOnPullRequestAsync(pullRequest, "A comment from the sandbox trigger.", ct);
                steps.Add($"commented on pull request {pullRequest}");
                break;
            case "pull_request.merged":
                await actor.CompletePullRequestAsync(pullRequest, sourceCommit, ct);
                steps.Add($"completed (merged) pull request {pullRequest}");
                break;
        }
    }

    private async Task<ConnectionEntity> CreatePatConnectionAsync(string environmentId, SandboxDetails details, CancellationToken ct)
    {
        if (!OrganizationInput.TryParse(details.Organization, out var target, out var error))
        {
            throw new SandboxTriggerException($"The sandbox organisation '{details.Organization}' is not usable: {error}");
        }

        var who = await pats.VerifyAsync(target, details.Pat, ct);
        var (saved, _) = await connections.SaveAsync(new NewConnection(environmentId, "sandbox-trigger", "Sandbox trigger", "pat", AuthTypes.Pat,
            [details.Organization], null, who, null, null, new TokenResult(details.Pat, null, null, null), null), ct);
        return saved;
    }

    /// <summary>An active subscription of the connection with a hook for the event (its organisation's default project's when it must be made).</summary>
    private async Task<(SubscriptionEntity? Subscription, ServiceHookEntity? Hook, bool Created, ProblemHttpResult? Problem)> CoveringSubscriptionAsync(
        ConnectionEntity connection, string adoEvent, CancellationToken ct)
    {
        var found = await FindCoveringAsync(connection.Id, adoEvent, ct);
        if (found is not null)
        {
            return (found.Value.Subscription, found.Value.Hook, false, null);
        }

        var organization = ConnectionService.OrganizationsOf(connection) is [var first, ..] ? first : EmulatorDefaults.Organization;
        var (view, problem) = await subscriptions.CreateAsync(new ActionTarget(connection, organization),
            new CreateSubscriptionRequest(organization, EmulatorDefaults.Project, null, [adoEvent]), ct);
        if (view is null)
        {
            return (null, null, false, problem);
        }

        found = await FindCoveringAsync(connection.Id, adoEvent, ct);
        return (found?.Subscription, found?.Hook, true, found is null ? Problem.Create(StatusCodes.Status502BadGateway, "emulator_refused", "The emulator refused", "The subscription was made but has no service hook for the event.") : null);
    }

    private async Task<(SubscriptionEntity Subscription, ServiceHookEntity Hook)?> FindCoveringAsync(string connectionId, string adoEvent, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var pair = await (from s in db.Subscriptions.AsNoTracking()
                          join h in db.ServiceHooks.AsNoTracking() on s.Id equals h.SubscriptionId
                          where s.ConnectionId == connectionId && s.Status == SubscriptionStatus.Active && h.EventType == adoEvent && h.AdoSubscriptionId != null
                          orderby s.CreatedAt
                          select new { s, h }).FirstOrDefaultAsync(ct);
        return pair is null ? null : (pair.s, pair.h);
    }

    private async Task<HashSet<string>> DeliveredEventIdsAsync(SandboxDetails details, string? adoSubscriptionId, CancellationToken ct)
    {
        using var admin = Admin(details);
        var deliveries = await admin.GetFromJsonAsync<List<HookDeliveryRow>>($"hooks/deliveries?subscriptionId={adoSubscriptionId}", ct) ?? [];
        return deliveries.Select(d => d.EventId.ToString()).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Waits for the emulator to have delivered a new notification of the event to the hook: ingest answers only once it is stored.</summary>
    private async Task<string?> WaitForDeliveryAsync(SandboxDetails details, string? adoSubscriptionId, string adoEvent, HashSet<string> before, CancellationToken ct)
    {
        using var admin = Admin(details);
        // Counted in polls, not read from the clock: a test server's clock may stand still.
        for (var poll = 0; ; poll++)
        {
            var deliveries = await admin.GetFromJsonAsync<List<HookDeliveryRow>>($"hooks/deliveries?subscriptionId={adoSubscriptionId}", ct) ?? [];
            var delivered = deliveries.LastOrDefault(d => d.EventType == adoEvent && d.Outcome == "delivered" && !before.Contains(d.EventId.ToString()));
            if (delivered is not null)
            {
                return delivered.EventId.ToString();
            }

            if (poll * PollEvery >= Wait)
            {
                return null;
            }

            await Task.Delay(PollEvery, ct);
        }
    }

    private HttpClient Admin(SandboxDetails details)
    {
        var client = http.CreateClient(DevOpsClient.HttpClientName);
        client.BaseAddress = new Uri(details.EmulatorBaseUrl + "_admin/");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", details.EmulatorAdminToken);
        return client;
    }

    private sealed record HookDeliveryRow(Guid EventId, string EventType, string Outcome);
}

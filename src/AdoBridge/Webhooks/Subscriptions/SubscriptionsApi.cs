using AdoBridge.Hosting;
using System.Security.Claims;
using AdoBridge.Actions;
using AdoBridge.ApiKeys;
using AdoBridge.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Webhooks.Subscriptions;

/// <summary>Subscriptions to Azure DevOps events on a connection's project, under /v1/connections/{id}/subscriptions.</summary>
internal static class SubscriptionsApi
{
    public static RouteGroupBuilder MapSubscriptionsApi(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/connections/{id}/subscriptions").WithTags("Subscriptions");
        group.MapPost("/", CreateAsync).WithName("createSubscription").WithRequestExample("""{"organization": "fabrikam", "project": "Fabrikam-Fiber-Git"}""").WithProblemCodes(404, "connection_not_found", "project_not_found", "repository_not_found").WithSummary("Subscribe to Azure DevOps events")
            .WithDescription("Subscribe to Azure DevOps events on a project (optionally one repository): AdoBridge creates one service hook per event type, each with its own ingest URL and secret.");
        group.MapGet("/", ListAsync).WithName("listSubscriptions").WithProblemCodes(404, "connection_not_found").WithSummary("List a connection's subscriptions")
            .WithDescription("Subscriptions of the connection; page with `cursor`.");
        group.MapGet("/{subscriptionId}", GetAsync).WithName("getSubscription").WithProblemCodes(404, "connection_not_found", "subscription_not_found").WithSummary("Get a subscription")
            .WithDescription("One subscription with its service hooks' state.");
        group.MapDelete("/{subscriptionId}", DeleteAsync).WithName("deleteSubscription").WithProblemCodes(404, "connection_not_found", "subscription_not_found").WithSummary("Delete a subscription")
            .WithDescription("Delete the subscription and its service hooks in Azure DevOps.");
        group.MapPost("/{subscriptionId}/check", CheckAsync).WithName("checkSubscription").WithProblemCodes(404, "connection_not_found", "subscription_not_found").WithSummary("Check and repair a subscription's service hooks")
            .WithDescription("Read the hooks back from Azure DevOps now and repair any that are disabled, on probation or gone.");
        return v1;
    }

    private static async Task<Results<Created<SubscriptionView>, ProblemHttpResult>> CreateAsync(
        string id, CreateSubscriptionRequest? request, ClaimsPrincipal user, ActionCaller caller, SubscriptionService subscriptions, CancellationToken ct)
    {
        if (request is null)
        {
            return ActionsApi.MissingBody();
        }

        if (ActionInput.Segment(request.Organization, "organization") is { } invalid)
        {
            return invalid;
        }

        var (target, problem) = await caller.TargetAsync(user, id, request.Organization!, ct);
        if (target is null)
        {
            return problem!;
        }

        var (view, failed) = await subscriptions.CreateAsync(target, request, ct);
        return view is null ? failed! : TypedResults.Created($"/v1/connections/{id}/subscriptions/{view.Id}", view);
    }

    private static async Task<Results<Ok<SubscriptionList>, ProblemHttpResult>> ListAsync(
        string id, string? cursor, int? limit, ClaimsPrincipal user, ActionCaller caller, SubscriptionService subscriptions, CancellationToken ct)
    {
        if (ActionInput.Range(limit, "limit", 1, 500) is { } invalid)
        {
            return invalid;
        }

        var (connection, problem) = await caller.ConnectionAsync(user, id, ct);
        return connection is null ? problem! : TypedResults.Ok(await subscriptions.ListAsync(user.EnvironmentId(), id, cursor, limit ?? 100, ct));
    }

    private static async Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> GetAsync(
        string id, string subscriptionId, ClaimsPrincipal user, ActionCaller caller, SubscriptionService subscriptions, CancellationToken ct)
    {
        var (connection, problem) = await caller.ConnectionAsync(user, id, ct);
        if (connection is null)
        {
            return problem!;
        }

        return await subscriptions.FindAsync(user.EnvironmentId(), id, subscriptionId, ct) is { } found
            ? TypedResults.Ok(SubscriptionView.From(found.Subscription, found.Hooks))
            : NotFound(id, subscriptionId);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(
        string id, string subscriptionId, ClaimsPrincipal user, ActionCaller caller, SubscriptionService subscriptions, CancellationToken ct)
    {
        var (connection, problem) = await caller.ConnectionAsync(user, id, ct);
        if (connection is null)
        {
            return problem!;
        }

        var found = await subscriptions.FindAsync(user.EnvironmentId(), id, subscriptionId, ct);
        if (found is null)
        {
            return NotFound(id, subscriptionId);
        }

        var failed = await subscriptions.DeleteAsync(new ActionTarget(connection, found.Value.Subscription.Organization), subscriptionId, ct);
        return failed is null ? TypedResults.NoContent() : failed;
    }

    private static async Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> CheckAsync(
        string id, string subscriptionId, ClaimsPrincipal user, ActionCaller caller, SubscriptionHealth health, CancellationToken ct)
    {
        var (connection, problem) = await caller.ConnectionAsync(user, id, ct);
        if (connection is null)
        {
            return problem!;
        }

        return await health.CheckAsync(connection, subscriptionId, ct) is { } view ? TypedResults.Ok(view) : NotFound(id, subscriptionId);
    }

    private static ProblemHttpResult NotFound(string connectionId, string subscriptionId)
        => Problem.NotFound("subscription_not_found", $"Connection '{connectionId}' has no subscription '{subscriptionId}'. List them with GET /v1/connections/{connectionId}/subscriptions.");
}

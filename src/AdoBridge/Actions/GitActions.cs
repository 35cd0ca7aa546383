using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Actions;

/// <summary>Organisations, projects, repositories and branches.</summary>
internal static class GitActions
{
    internal sealed record OrganizationView(string Name, string Url);

    internal sealed record OrganizationList(IReadOnlyList<OrganizationView> Items);

    public static async Task<Results<Ok<OrganizationList>, ProblemHttpResult>> OrganizationsAsync(string id, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        var (connection, problem) = await caller.ConnectionAsync(user, id, ct);
        return connection is null
            ? problem!
            : TypedResults.Ok(new OrganizationList(ActionCaller.OrganizationsOf(connection).Select(o => new OrganizationView(o.Name, o.Url)).ToList()));
    }

    public static async Task<Results<Ok<ActionPage>, ProblemHttpResult>> ProjectsAsync(
        string id, string org, int? top, int? skip, string? continuationToken, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        if ((ActionInput.Range(top, "top", 1, 1000) ?? ActionInput.Range(skip, "skip", 0, int.MaxValue)) is { } invalid)
        {
            return invalid;
        }

        var (target, problem) = await caller.TargetAsync(user, id, org, ct);
        if (target is null)
        {
            return problem!;
        }

        return ActionsApi.Page(await caller.SendAsync(target, HttpMethod.Get, "_apis/projects",
            ActionInput.Query(("$top", top), ("$skip", skip), ("continuationToken", continuationToken)), null, ct));
    }

    public static async Task<Results<Ok<ActionPage>, ProblemHttpResult>> RepositoriesAsync(string id, string org, string project, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        if (ActionInput.Segment(project, "project") is { } invalid)
        {
            return invalid;
        }

        var (target, problem) = await caller.TargetAsync(user, id, org, ct);
        if (target is null)
        {
            return problem!;
        }

        return ActionsApi.Page(await caller.SendAsync(target, HttpMethod.Get, ActionInput.Path("_apis/git/repositories", project), null, null, ct));
    }

    public static async Task<Results<Ok<ActionPage>, ProblemHttpResult>> BranchesAsync(
        string id, string org, string project, string repo, int? top, string? continuationToken, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        if ((ActionInput.Segments((project, "project"), (repo, "repo")) ?? ActionInput.Range(top, "top", 1, 1000)) is { } invalid)
        {
            return invalid;
        }

        var (target, problem) = await caller.TargetAsync(user, id, org, ct);
        if (target is null)
        {
            return problem!;
        }

        return ActionsApi.Page(await caller.SendAsync(target, HttpMethod.Get, ActionInput.Path("refs", project, "_apis", "git", "repositories", repo),
            ActionInput.Query(("filter", "heads/"), ("$top", top), ("continuationToken", continuationToken)), null, ct));
    }
}

using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Actions;

/// <summary>What else a review bot reads about a pull request: its commits, linked work items and policy evaluations
/// (is it blocked, and by what).</summary>
internal static class PullRequestReadActions
{
    public static Task<Results<Ok<ActionPage>, ProblemHttpResult>> CommitsAsync(
        string id, string org, string project, string repo, int pullRequestId, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
        => ListAsync(id, org, project, repo, $"pullRequests/{pullRequestId}/commits", user, caller, ct);

    public static Task<Results<Ok<ActionPage>, ProblemHttpResult>> WorkItemsAsync(
        string id, string org, string project, string repo, int pullRequestId, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
        => ListAsync(id, org, project, repo, $"pullRequests/{pullRequestId}/workitems", user, caller, ct);

    private static async Task<Results<Ok<ActionPage>, ProblemHttpResult>> ListAsync(
        string id, string org, string project, string repo, string path, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        var (target, problem) = await TargetAsync(id, org, project, repo, user, caller, ct);
        return target is null
            ? problem!
            : ActionsApi.Page(await caller.SendAsync(target, HttpMethod.Get, ActionInput.Path(path, project, "_apis", "git", "repositories", repo), null, null, ct));
    }

    /// <summary>Policy evaluations of the pull request (a preview API in Azure DevOps 7.1); its artifact id needs the
    /// project's id, read from the pull request.</summary>
    public static async Task<Results<Ok<ActionPage>, ProblemHttpResult>> PolicyEvaluationsAsync(
        string id, string org, string project, string repo, int pullRequestId, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        var (target, problem) = await TargetAsync(id, org, project, repo, user, caller, ct);
        if (target is null)
        {
            return problem!;
        }

        var pr = await caller.SendAsync(target, HttpMethod.Get, ActionInput.Path($"pullRequests/{pullRequestId}", project, "_apis", "git", "repositories", repo), null, null, ct);
        if (pr.Problem is not null)
        {
            return pr.Problem;
        }

        var projectId = pr.Json.TryGetProperty("repository", out var r) && r.TryGetProperty("project", out var p) ? ActionInput.Text(p, "id") : null;
        if (projectId is null)
        {
            return Problems.Problem.Create(StatusCodes.Status502BadGateway, "azure_devops_error", "Azure DevOps error", "Azure DevOps did not say which project the pull request belongs to.");
        }

        return ActionsApi.Page(await caller.SendAsync(target, HttpMethod.Get, ActionInput.Path("_apis/policy/evaluations", project),
            ActionInput.Query(("artifactId", $"vstfs:///CodeReview/CodeReviewId/{projectId}/{pullRequestId}")), null, ct, apiVersion: "7.1-preview.1"));
    }

    private static async Task<(ActionTarget? Target, ProblemHttpResult? Problem)> TargetAsync(string id, string org, string project, string repo, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
        => ActionInput.Segments((project, "project"), (repo, "repo")) is { } invalid ? (null, invalid) : await caller.TargetAsync(user, id, org, ct);
}

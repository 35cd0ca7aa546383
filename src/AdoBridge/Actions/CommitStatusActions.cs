using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Actions;

/// <summary>Commit statuses: what CI systems and code analysers post on a commit (list, create).</summary>
internal static partial class CommitStatusActions
{
    internal sealed record PostCommitStatus([property: Required] string? State, string? Description, string? TargetUrl, [property: Required] PullRequestActions.StatusContext? Context);

    public static async Task<Results<Ok<ActionPage>, ProblemHttpResult>> ListAsync(
        string id, string org, string project, string repo, string commitId, int? top, int? skip, bool? latestOnly, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        if ((CheckCommit(commitId) ?? ActionInput.Range(top, "top", 1, 1000) ?? ActionInput.Range(skip, "skip", 0, int.MaxValue)) is { } invalid)
        {
            return invalid;
        }

        var (target, problem) = await PullRequestActions.TargetAsync(id, org, project, repo, user, caller, ct);
        return target is null
            ? problem!
            : ActionsApi.Page(await caller.SendAsync(target, HttpMethod.Get, StatusesPath(project, repo, commitId),
                ActionInput.Query(("top", top), ("skip", skip), ("latestOnly", latestOnly is true ? "true" : null)), null, ct));
    }

    public static async Task<Results<Created<JsonElement>, ProblemHttpResult>> CreateAsync(
        string id, string org, string project, string repo, string commitId, PostCommitStatus? request, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        if (request is null)
        {
            return ActionsApi.MissingBody();
        }

        var states = PullRequestActions.StatusStates;
        var invalid = CheckCommit(commitId)
            ?? (request.State is null || !states.Contains(request.State) ? ActionInput.Invalid("state", $"must be one of: {string.Join(", ", states)}.") : null)
            ?? (string.IsNullOrWhiteSpace(request.Context?.Name) ? ActionInput.Invalid("context.name", "is required (for example \"my-analyser\"); a newer status with the same genre and name supersedes the older one.") : null)
            ?? ActionInput.HttpUrl(request.TargetUrl, "targetUrl");
        if (invalid is not null)
        {
            return invalid;
        }

        var (target, problem) = await PullRequestActions.TargetAsync(id, org, project, repo, user, caller, ct);
        if (target is null)
        {
            return problem!;
        }

        var body = new
        {
            state = request.State,
            description = request.Description,
            targetUrl = request.TargetUrl,
            context = new { name = request.Context!.Name, genre = request.Context.Genre },
        };
        return ActionsApi.Created(await caller.SendAsync(target, HttpMethod.Post, StatusesPath(project, repo, commitId), null, body, ct));
    }

    private static ProblemHttpResult? CheckCommit(string commitId)
        => CommitId().IsMatch(commitId) ? null : ActionInput.Invalid("commitId", "must be a full commit id: 40 hexadecimal characters.");

    private static string StatusesPath(string project, string repo, string commitId)
        => ActionInput.Path($"commits/{commitId.ToLowerInvariant()}/statuses", project, "_apis", "git", "repositories", repo);

    [GeneratedRegex("^[0-9a-fA-F]{40}$")]
    private static partial Regex CommitId();
}

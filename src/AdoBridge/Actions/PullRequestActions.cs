using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Actions;

/// <summary>Pull requests: list with filters, get, create; comment threads: list, create, reply; statuses.</summary>
internal static class PullRequestActions
{
    private static readonly string[] Statuses = ["active", "abandoned", "completed", "all"];

    internal static readonly string[] ThreadStatuses = ["active", "byDesign", "closed", "fixed", "pending", "wontFix"];

    internal static readonly string[] StatusStates = ["error", "failed", "notApplicable", "notSet", "pending", "succeeded"];

    internal sealed record CreatePullRequest([property: Required] string? SourceRef, [property: Required] string? TargetRef, [property: Required] string? Title, string? Description, bool? IsDraft, string[]? Reviewers);

    internal sealed record CreateThread([property: Required] string? Content, string? Status, string? FilePath, int? Line);

    internal sealed record Reply([property: Required] string? Content, int? ParentCommentId);

    internal sealed record StatusContext([property: Required] string? Name, string? Genre);

    internal sealed record PostStatus([property: Required] string? State, string? Description, string? TargetUrl, [property: Required] StatusContext? Context, int? IterationId);

    internal sealed record ThreadStatus([property: Required] string? Status);

    public static async Task<Results<Ok<ActionPage>, ProblemHttpResult>> ListAsync(
        string id, string org, string project, string repo, string? status, string? creatorId, string? reviewerId, string? sourceRef, string? targetRef,
        int? top, int? skip, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        var invalid = ActionInput.Segments((project, "project"), (repo, "repo"))
            ?? ActionInput.Range(top, "top", 1, 1000)
            ?? ActionInput.Range(skip, "skip", 0, int.MaxValue)
            ?? (status is not null && !Statuses.Contains(status, StringComparer.OrdinalIgnoreCase) ? ActionInput.Invalid("status", $"must be one of: {string.Join(", ", Statuses)}.") : null)
            ?? (creatorId is not null && !Guid.TryParse(creatorId, out _) ? ActionInput.Invalid("creatorId", "must be an Azure DevOps identity id (a GUID).") : null)
            ?? (reviewerId is not null && !Guid.TryParse(reviewerId, out _) ? ActionInput.Invalid("reviewerId", "must be an Azure DevOps identity id (a GUID).") : null);
        if (invalid is not null)
        {
            return invalid;
        }

        var (target, problem) = await caller.TargetAsync(user, id, org, ct);
        if (target is null)
        {
            return problem!;
        }

        return ActionsApi.Page(await caller.SendAsync(target, HttpMethod.Get, ActionInput.Path("pullrequests", project, "_apis", "git", "repositories", repo),
            ActionInput.Query(
                ("searchCriteria.status", status),
                ("searchCriteria.creatorId", creatorId),
                ("searchCriteria.reviewerId", reviewerId),
                ("searchCriteria.sourceRefName", sourceRef is null ? null : ActionInput.BranchRef(sourceRef)),
                ("searchCriteria.targetRefName", targetRef is null ? null : ActionInput.BranchRef(targetRef)),
                ("$top", top),
                ("$skip", skip)),
            null, ct));
    }

    public static async Task<Results<Ok<JsonElement>, ProblemHttpResult>> GetAsync(
        string id, string org, string project, string repo, int pullRequestId, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        var (target, problem) = await TargetAsync(id, org, project, repo, user, caller, ct);
        return target is null ? problem! : ActionsApi.One(await caller.SendAsync(target, HttpMethod.Get, PrPath(project, repo, pullRequestId, string.Empty), null, null, ct));
    }

    public static async Task<Results<Created<JsonElement>, ProblemHttpResult>> CreateAsync(
        string id, string org, string project, string repo, CreatePullRequest? request, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        if (request is null)
        {
            return ActionsApi.MissingBody();
        }

        var invalid = (string.IsNullOrWhiteSpace(request.SourceRef) ? ActionInput.Invalid("sourceRef", "is required (a branch name or a full ref such as refs/heads/feature).") : null)
            ?? (string.IsNullOrWhiteSpace(request.TargetRef) ? ActionInput.Invalid("targetRef", "is required (a branch name or a full ref such as refs/heads/main).") : null)
            ?? (string.IsNullOrWhiteSpace(request.Title) || request.Title.Length > 400 ? ActionInput.Invalid("title", "is required and at most 400 characters.") : null)
            ?? (request.Reviewers?.Any(r => !Guid.TryParse(r, out _)) == true ? ActionInput.Invalid("reviewers", "must be Azure DevOps identity ids (GUIDs).") : null);
        if (invalid is not null)
        {
            return invalid;
        }

        var (target, problem) = await TargetAsync(id, org, project, repo, user, caller, ct);
        if (target is null)
        {
            return problem!;
        }

        var body = new Dictionary<string, object?>
        {
            ["sourceRefName"] = ActionInput.BranchRef(request.SourceRef!.Trim()),
            ["targetRefName"] = ActionInput.BranchRef(request.TargetRef!.Trim()),
            ["title"] = request.Title,
            ["description"] = request.Description,
            ["isDraft"] = request.IsDraft ?? false,
            ["reviewers"] = (request.Reviewers ?? []).Select(r => new { id = r }).ToArray(),
        };
        return ActionsApi.Created(await caller.SendAsync(target, HttpMethod.Post, ActionInput.Path("pullrequests", project, "_apis", "git", "repositories", repo), null, body, ct));
    }

    public static async Task<Results<Ok<ActionPage>, ProblemHttpResult>> ThreadsAsync(
        string id, string org, string project, string repo, int pullRequestId, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        var (target, problem) = await TargetAsync(id, org, project, repo, user, caller, ct);
        return target is null ? problem! : ActionsApi.Page(await caller.SendAsync(target, HttpMethod.Get, PrPath(project, repo, pullRequestId, "/threads"), null, null, ct));
    }

    public static async Task<Results<Created<JsonElement>, ProblemHttpResult>> CreateThreadAsync(
        string id, string org, string project, string repo, int pullRequestId, CreateThread? request, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        if (request is null)
        {
            return ActionsApi.MissingBody();
        }

        var invalid = (string.IsNullOrWhiteSpace(request.Content) ? ActionInput.Invalid("content", "is required.") : null)
            ?? (request.Status is not null && !ThreadStatuses.Contains(request.Status) ? ActionInput.Invalid("status", $"must be one of: {string.Join(", ", ThreadStatuses)}.") : null)
            ?? (request.Line is not null && string.IsNullOrWhiteSpace(request.FilePath) ? ActionInput.Invalid("filePath", "is required with `line`.") : null)
            ?? ActionInput.Range(request.Line, "line", 1, int.MaxValue);
        if (invalid is not null)
        {
            return invalid;
        }

        var (target, problem) = await TargetAsync(id, org, project, repo, user, caller, ct);
        if (target is null)
        {
            return problem!;
        }

        var body = new Dictionary<string, object?>
        {
            ["comments"] = new[] { new { parentCommentId = 0, content = request.Content, commentType = 1 } },
            ["status"] = request.Status ?? "active",
        };
        if (!string.IsNullOrWhiteSpace(request.FilePath))
        {
            var path = request.FilePath.StartsWith('/') ? request.FilePath : "/" + request.FilePath;
            body["threadContext"] = request.Line is { } line
                ? new { filePath = path, rightFileStart = new { line, offset = 1 }, rightFileEnd = new { line, offset = 1 } }
                : new { filePath = path, rightFileStart = (object?)null, rightFileEnd = (object?)null };
        }

        return ActionsApi.Created(await caller.SendAsync(target, HttpMethod.Post, PrPath(project, repo, pullRequestId, "/threads"), null, body, ct));
    }

    public static async Task<Results<Created<JsonElement>, ProblemHttpResult>> ReplyAsync(
        string id, string org, string project, string repo, int pullRequestId, int threadId, Reply? request, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        if (request is null)
        {
            return ActionsApi.MissingBody();
        }

        if ((string.IsNullOrWhiteSpace(request.Content) ? ActionInput.Invalid("content", "is required.") : ActionInput.Range(request.ParentCommentId, "parentCommentId", 1, int.MaxValue)) is { } invalid)
        {
            return invalid;
        }

        var (target, problem) = await TargetAsync(id, org, project, repo, user, caller, ct);
        if (target is null)
        {
            return problem!;
        }

        var body = new { content = request.Content, parentCommentId = request.ParentCommentId ?? 1, commentType = 1 };
        return ActionsApi.Created(await caller.SendAsync(target, HttpMethod.Post, PrPath(project, repo, pullRequestId, $"/threads/{threadId}/comments"), null, body, ct));
    }

    /// <summary>Resolves (fixed, wontFix, closed, byDesign), reopens (active) or parks (pending) a thread.</summary>
    public static async Task<Results<Ok<JsonElement>, ProblemHttpResult>> UpdateThreadAsync(
        string id, string org, string project, string repo, int pullRequestId, int threadId, ThreadStatus? request, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        if (request?.Status is not { } status || !ThreadStatuses.Contains(status))
        {
            return ActionInput.Invalid("status", $"is required, one of: {string.Join(", ", ThreadStatuses)} (fixed, wontFix, closed and byDesign resolve the thread; active reopens it).");
        }

        var (target, problem) = await TargetAsync(id, org, project, repo, user, caller, ct);
        return target is null ? problem! : ActionsApi.One(await caller.SendAsync(target, HttpMethod.Patch, PrPath(project, repo, pullRequestId, $"/threads/{threadId}"), null, new { status }, ct));
    }

    public static async Task<Results<Created<JsonElement>, ProblemHttpResult>> StatusAsync(
        string id, string org, string project, string repo, int pullRequestId, PostStatus? request, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        if (request is null)
        {
            return ActionsApi.MissingBody();
        }

        var invalid = (request.State is null || !StatusStates.Contains(request.State) ? ActionInput.Invalid("state", $"must be one of: {string.Join(", ", StatusStates)}.") : null)
            ?? (string.IsNullOrWhiteSpace(request.Context?.Name) ? ActionInput.Invalid("context.name", "is required (for example \"my-analyser\").") : null)
            ?? ActionInput.HttpUrl(request.TargetUrl, "targetUrl")
            ?? ActionInput.Range(request.IterationId, "iterationId", 1, int.MaxValue);
        if (invalid is not null)
        {
            return invalid;
        }

        var (target, problem) = await TargetAsync(id, org, project, repo, user, caller, ct);
        if (target is null)
        {
            return problem!;
        }

        var body = new Dictionary<string, object?>
        {
            ["state"] = request.State,
            ["description"] = request.Description,
            ["targetUrl"] = request.TargetUrl,
            ["context"] = new { name = request.Context!.Name, genre = request.Context.Genre },
        };
        if (request.IterationId is { } iteration)
        {
            body["iterationId"] = iteration;
        }

        return ActionsApi.Created(await caller.SendAsync(target, HttpMethod.Post, PrPath(project, repo, pullRequestId, "/statuses"), null, body, ct));
    }

    internal static string PrPath(string project, string repo, int pullRequestId, string rest)
        => ActionInput.Path($"pullrequests/{pullRequestId}{rest}", project, "_apis", "git", "repositories", repo);

    internal static async Task<(ActionTarget? Target, ProblemHttpResult? Problem)> TargetAsync(
        string id, string org, string project, string repo, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
        => ActionInput.Segments((project, "project"), (repo, "repo")) is { } invalid ? (null, invalid) : await caller.TargetAsync(user, id, org, ct);
}

using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Actions;

/// <summary>Work item comments (list newest first, paged by continuation token; add). Azure DevOps serves them only as a preview API.</summary>
internal static class WorkItemCommentActions
{
    /// <summary>The comments API exists only as a preview; 7.1-preview.4 is the version the 7.1 reference documents.</summary>
    public const string ApiVersion = "7.1-preview.4";

    private static readonly string[] Orders = ["asc", "desc"];

    private static readonly string[] Formats = ["markdown", "html"];

    private static readonly JsonElement NoComments = JsonElement.Parse("[]");

    internal sealed record AddComment([property: Required] string? Text, string? Format);

    public static async Task<Results<Ok<ActionPage>, ProblemHttpResult>> ListAsync(
        string id, string org, string project, int workItemId, int? top, string? continuationToken, string? order, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        var invalid = ActionInput.Segment(project, "project")
            ?? ActionInput.Range(top, "top", 1, 200)
            ?? (order is not null && !Orders.Contains(order, StringComparer.OrdinalIgnoreCase) ? ActionInput.Invalid("order", "must be asc (oldest first) or desc (newest first, the default).") : null);
        if (invalid is not null)
        {
            return invalid;
        }

        var (target, problem) = await caller.TargetAsync(user, id, org, ct);
        if (target is null)
        {
            return problem!;
        }

        var answer = await caller.SendAsync(target, HttpMethod.Get, CommentsPath(project, workItemId),
            ActionInput.Query(("top", top), ("continuationToken", continuationToken), ("order", order?.ToLowerInvariant())), null, ct, apiVersion: ApiVersion);
        if (answer.Problem is not null)
        {
            return answer.Problem;
        }

        // This API pages in its body ({ comments, continuationToken }) rather than in the x-ms-continuationtoken header.
        var comments = answer.Json.TryGetProperty("comments", out var list) ? list : NoComments;
        var next = ActionInput.Text(answer.Json, "continuationToken") ?? answer.ContinuationToken;
        return TypedResults.Ok(new ActionPage(comments, string.IsNullOrEmpty(next) ? null : next));
    }

    public static async Task<Results<Created<JsonElement>, ProblemHttpResult>> AddAsync(
        string id, string org, string project, int workItemId, AddComment? request, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        if (request is null)
        {
            return ActionsApi.MissingBody();
        }

        var invalid = ActionInput.Segment(project, "project")
            ?? (string.IsNullOrWhiteSpace(request.Text) ? ActionInput.Invalid("text", "is required: the comment, as HTML or (with format markdown) Markdown.") : null)
            ?? (request.Format is not null && !Formats.Contains(request.Format, StringComparer.OrdinalIgnoreCase) ? ActionInput.Invalid("format", "must be markdown or html (the default).") : null);
        if (invalid is not null)
        {
            return invalid;
        }

        var (target, problem) = await caller.TargetAsync(user, id, org, ct);
        return target is null
            ? problem!
            : ActionsApi.Created(await caller.SendAsync(target, HttpMethod.Post, CommentsPath(project, workItemId),
                ActionInput.Query(("format", request.Format?.ToLowerInvariant())), new { text = request.Text }, ct, apiVersion: ApiVersion));
    }

    private static string CommentsPath(string project, int workItemId) => ActionInput.Path($"_apis/wit/workItems/{workItemId}/comments", project);
}

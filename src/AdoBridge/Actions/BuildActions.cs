using System.ComponentModel.DataAnnotations;
using System.ComponentModel;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Actions;

/// <summary>Builds, what CI integrations read and start: definitions, builds (list, queue on a branch with parameters,
/// get) and a build's logs.</summary>
internal static class BuildActions
{
    private static readonly string[] BuildStatuses = ["all", "cancelling", "completed", "inProgress", "notStarted", "postponed"];

    internal sealed record QueueBuild(
        [property: Required, Description("The build definition to queue (GET …/build-definitions lists them).")] int? DefinitionId,
        [property: Description("The branch, e.g. `main` or `refs/heads/feature/x`; default: the definition's.")] string? Branch,
        [property: Description("Queue-time variables, by name.")] Dictionary<string, string>? Parameters,
        [property: Description("Template parameters of a YAML pipeline, by name.")] Dictionary<string, string>? TemplateParameters);

    public static async Task<Results<Ok<ActionPage>, ProblemHttpResult>> DefinitionsAsync(
        string id, string org, string project, string? name, int? top, string? continuationToken, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        var invalid = ActionInput.Segment(project, "project") ?? ActionInput.Range(top, "top", 1, 1000);
        var (target, problem) = invalid is null ? await caller.TargetAsync(user, id, org, ct) : (null, invalid);
        return target is null
            ? problem!
            : ActionsApi.Page(await caller.SendAsync(target, HttpMethod.Get, ActionInput.Path("_apis/build/definitions", project), ActionInput.Query(("name", name), ("$top", top), ("continuationToken", continuationToken)), null, ct));
    }

    public static async Task<Results<Ok<ActionPage>, ProblemHttpResult>> ListAsync(
        string id, string org, string project, int? definitionId, string? branch, string? status, int? top, string? continuationToken, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        var invalid = ActionInput.Segment(project, "project")
            ?? ActionInput.Range(top, "top", 1, 1000)
            ?? (status is not null && !BuildStatuses.Contains(status, StringComparer.OrdinalIgnoreCase) ? ActionInput.Invalid("status", $"must be one of: {string.Join(", ", BuildStatuses)}.") : null);
        var (target, problem) = invalid is null ? await caller.TargetAsync(user, id, org, ct) : (null, invalid);
        return target is null
            ? problem!
            : ActionsApi.Page(await caller.SendAsync(target, HttpMethod.Get, ActionInput.Path("_apis/build/builds", project),
                ActionInput.Query(("definitions", definitionId), ("branchName", branch is null ? null : ActionInput.BranchRef(branch)), ("statusFilter", status), ("$top", top), ("continuationToken", continuationToken)), null, ct));
    }

    public static async Task<Results<Ok<JsonElement>, ProblemHttpResult>> GetAsync(
        string id, string org, string project, int buildId, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        var (target, problem) = ActionInput.Segment(project, "project") is { } invalid ? (null, invalid) : await caller.TargetAsync(user, id, org, ct);
        return target is null
            ? problem!
            : ActionsApi.One(await caller.SendAsync(target, HttpMethod.Get, ActionInput.Path($"_apis/build/builds/{buildId}", project), null, null, ct));
    }

    public static async Task<Results<Created<JsonElement>, ProblemHttpResult>> QueueAsync(
        string id, string org, string project, QueueBuild? request, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        if (request is null)
        {
            return ActionsApi.MissingBody();
        }

        var invalid = ActionInput.Segment(project, "project")
            ?? (request.DefinitionId is not > 0 ? ActionInput.Invalid("definitionId", "is required: the build definition's id (list them with GET …/build-definitions).") : null)
            ?? (request.Branch is { } b && (b.Length > 256 || b.Any(char.IsControl)) ? ActionInput.Invalid("branch", "is not a valid branch name.") : null);
        if (invalid is not null)
        {
            return invalid;
        }

        var (target, problem) = await caller.TargetAsync(user, id, org, ct);
        if (target is null)
        {
            return problem!;
        }

        // The Build API takes queue-time variables as one JSON string ("parameters").
        var body = new Dictionary<string, object?>
        {
            ["definition"] = new { id = request.DefinitionId },
            ["sourceBranch"] = request.Branch is null ? null : ActionInput.BranchRef(request.Branch),
            ["parameters"] = request.Parameters is { Count: > 0 } p ? JsonSerializer.Serialize(p) : null,
            ["templateParameters"] = request.TemplateParameters,
        };
        return ActionsApi.Created(await caller.SendAsync(target, HttpMethod.Post, ActionInput.Path("_apis/build/builds", project), null, body, ct));
    }

    public static async Task<Results<Ok<ActionPage>, ProblemHttpResult>> LogsAsync(
        string id, string org, string project, int buildId, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        var (target, problem) = ActionInput.Segment(project, "project") is { } invalid ? (null, invalid) : await caller.TargetAsync(user, id, org, ct);
        return target is null
            ? problem!
            : ActionsApi.Page(await caller.SendAsync(target, HttpMethod.Get, ActionInput.Path($"_apis/build/builds/{buildId}/logs", project), null, null, ct));
    }

    /// <summary>A log's lines (JSON, as the Build API answers when asked for JSON), optionally from startLine to endLine.</summary>
    public static async Task<Results<Ok<ActionPage>, ProblemHttpResult>> LogAsync(
        string id, string org, string project, int buildId, int logId, int? startLine, int? endLine, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        var invalid = ActionInput.Segment(project, "project") ?? ActionInput.Range(startLine, "startLine", 1, int.MaxValue) ?? ActionInput.Range(endLine, "endLine", 1, int.MaxValue);
        var (target, problem) = invalid is null ? await caller.TargetAsync(user, id, org, ct) : (null, invalid);
        return target is null
            ? problem!
            : ActionsApi.Page(await caller.SendAsync(target, HttpMethod.Get, ActionInput.Path($"_apis/build/builds/{buildId}/logs/{logId}", project),
                ActionInput.Query(("startLine", startLine), ("endLine", endLine)), null, ct));
    }
}

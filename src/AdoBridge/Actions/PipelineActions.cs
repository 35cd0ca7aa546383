using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Actions;

/// <summary>Pipelines: list, run (branch, template parameters, variables), list runs, get a run.</summary>
internal static partial class PipelineActions
{
    internal sealed record RunPipeline(string? Branch, Dictionary<string, string>? TemplateParameters, Dictionary<string, JsonElement>? Variables);

    public static async Task<Results<Ok<ActionPage>, ProblemHttpResult>> ListAsync(
        string id, string org, string project, int? top, string? continuationToken, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        if ((ActionInput.Segment(project, "project") ?? ActionInput.Range(top, "top", 1, 1000)) is { } invalid)
        {
            return invalid;
        }

        var (target, problem) = await caller.TargetAsync(user, id, org, ct);
        return target is null
            ? problem!
            : ActionsApi.Page(await caller.SendAsync(target, HttpMethod.Get, ActionInput.Path("_apis/pipelines", project),
                ActionInput.Query(("$top", top), ("continuationToken", continuationToken)), null, ct));
    }

    /// <summary>
    /// Runs, newest first. Azure DevOps returns up to 10,000 runs in one answer without paging, so pages are cut here: the
    /// continuation token is the id of the last run on the page, and the next page starts below it (stable while runs are added).
    /// </summary>
    public static async Task<Results<Ok<ActionPage>, ProblemHttpResult>> RunsAsync(
        string id, string org, string project, int pipelineId, int? top, string? continuationToken, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        var after = 0;
        var invalid = ActionInput.Segment(project, "project")
            ?? ActionInput.Range(top, "top", 1, 1000)
            ?? (continuationToken is not null && (!int.TryParse(continuationToken, NumberStyles.None, CultureInfo.InvariantCulture, out after) || after <= 0)
                ? ActionInput.Invalid("continuationToken", "pass back the continuationToken of the previous page as it was.") : null);
        if (invalid is not null)
        {
            return invalid;
        }

        var (target, problem) = await caller.TargetAsync(user, id, org, ct);
        if (target is null)
        {
            return problem!;
        }

        var answer = await caller.SendAsync(target, HttpMethod.Get, RunsPath(project, pipelineId), null, null, ct);
        if (answer.Problem is not null)
        {
            return answer.Problem;
        }

        var size = top ?? 100;
        IEnumerable<JsonElement> all = answer.Json.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Array ? value.EnumerateArray() : [];
        var runs = all.Where(r => r.TryGetProperty("id", out var runId) && runId.TryGetInt32(out var n) && (after == 0 || n < after))
            .OrderByDescending(r => r.GetProperty("id").GetInt32())
            .Take(size + 1)
            .ToList();
        var page = runs.Take(size).ToList();
        var next = runs.Count > size ? page[^1].GetProperty("id").GetInt32().ToString(CultureInfo.InvariantCulture) : null;
        return TypedResults.Ok(new ActionPage(JsonSerializer.SerializeToElement(page), next));
    }

    public static async Task<Results<Ok<JsonElement>, ProblemHttpResult>> GetRunAsync(
        string id, string org, string project, int pipelineId, int runId, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        if (ActionInput.Segment(project, "project") is { } invalid)
        {
            return invalid;
        }

        var (target, problem) = await caller.TargetAsync(user, id, org, ct);
        return target is null ? problem! : ActionsApi.One(await caller.SendAsync(target, HttpMethod.Get, RunsPath(project, pipelineId) + $"/{runId}", null, null, ct));
    }

    /// <summary>Queues a run. Variables are "name": "value", or "name": { "value": "…", "isSecret": true }; they must be settable at queue time in the pipeline.</summary>
    public static async Task<Results<Created<JsonElement>, ProblemHttpResult>> RunAsync(
        string id, string org, string project, int pipelineId, RunPipeline? request, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        request ??= new RunPipeline(null, null, null);
        var (variables, badVariable) = Variables(request.Variables);
        var invalid = ActionInput.Segment(project, "project")
            ?? (request.Branch is not null && (string.IsNullOrWhiteSpace(request.Branch) || request.Branch.Any(char.IsControl)) ? ActionInput.Invalid("branch", "must be a branch name (main) or a full ref (refs/heads/main).") : null)
            ?? (request.TemplateParameters?.Keys.FirstOrDefault(k => !Name().IsMatch(k)) is { } badParameter
                ? ActionInput.Invalid("templateParameters", $"'{badParameter}' is not a parameter name (letters, digits, '_', '-' and '.').") : null)
            ?? badVariable;
        if (invalid is not null)
        {
            return invalid;
        }

        var (target, problem) = await caller.TargetAsync(user, id, org, ct);
        if (target is null)
        {
            return problem!;
        }

        var body = new Dictionary<string, object?>();
        if (request.Branch is { } branch)
        {
            body["resources"] = new { repositories = new { self = new { refName = ActionInput.BranchRef(branch.Trim()) } } };
        }

        if (request.TemplateParameters is { Count: > 0 } parameters)
        {
            body["templateParameters"] = parameters;
        }

        if (variables.Count > 0)
        {
            body["variables"] = variables;
        }

        return ActionsApi.Created(await caller.SendAsync(target, HttpMethod.Post, RunsPath(project, pipelineId), null, body, ct));
    }

    private static (Dictionary<string, object> Variables, ProblemHttpResult? Problem) Variables(Dictionary<string, JsonElement>? given)
    {
        var variables = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, value) in given ?? [])
        {
            if (!Name().IsMatch(name))
            {
                return (variables, ActionInput.Invalid("variables", $"'{name}' is not a variable name (letters, digits, '_', '-' and '.')."));
            }

            if (value.ValueKind == JsonValueKind.String)
            {
                variables[name] = new { value = value.GetString(), isSecret = false };
            }
            else if (value.ValueKind == JsonValueKind.Object && ActionInput.Text(value, "value") is { } text)
            {
                var secret = value.TryGetProperty("isSecret", out var s) && s.ValueKind == JsonValueKind.True;
                variables[name] = new { value = text, isSecret = secret };
            }
            else
            {
                return (variables, ActionInput.Invalid($"variables.{name}", "must be a string, or { \"value\": \"…\", \"isSecret\": true }."));
            }
        }

        return (variables, null);
    }

    private static string RunsPath(string project, int pipelineId) => ActionInput.Path($"_apis/pipelines/{pipelineId}/runs", project);

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,256}$")]
    private static partial Regex Name();
}

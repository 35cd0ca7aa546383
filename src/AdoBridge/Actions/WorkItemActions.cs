using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Actions;

/// <summary>Work items: search (WIQL or structured), get (one, or a batch split into Azure DevOps' 200), create, update by JSON Patch, delete.</summary>
internal static partial class WorkItemActions
{
    private const string JsonPatch = "application/json-patch+json";

    private static readonly string[] PatchOperations = ["add", "replace", "remove", "test", "copy", "move"];

    private static readonly string[] Expands = ["none", "relations", "fields", "links", "all"];

    internal sealed record SearchRequest(string? Wiql, string? Type, string? State, string? AssignedTo, string? TitleContains, string[]? Tags, int? Top);

    internal sealed record SearchResult(IReadOnlyList<JsonElement> Items, string Wiql);

    internal sealed record WorkItemList(IReadOnlyList<JsonElement> Items);

    internal sealed record CreateRequest([property: Required] string? Type, [property: Required] Dictionary<string, JsonElement>? Fields);

    public static async Task<Results<Ok<SearchResult>, ProblemHttpResult>> SearchAsync(
        string id, string org, string project, SearchRequest? request, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        if (request is null)
        {
            return ActionsApi.MissingBody();
        }

        var structured = request.Type is not null || request.State is not null || request.AssignedTo is not null || request.TitleContains is not null || request.Tags is not null;
        if (request.Wiql is not null && structured)
        {
            return ActionInput.Invalid("wiql", "give either `wiql` or the structured filter (type, state, assignedTo, titleContains, tags), not both.");
        }

        if ((ActionInput.Segment(project, "project") ?? ActionInput.Range(request.Top, "top", 1, WorkItemIds.MaxIds)
            ?? (request.Wiql is not null && string.IsNullOrWhiteSpace(request.Wiql) ? ActionInput.Invalid("wiql", "must not be empty.") : null)) is { } invalid)
        {
            return invalid;
        }

        var (wiql, problem) = request.Wiql is not null
            ? (request.Wiql, null)
            : WiqlBuilder.Build(new WorkItemCriteria(request.Type, request.State, request.AssignedTo, request.TitleContains, request.Tags));
        if (wiql is null)
        {
            return problem!;
        }

        var (target, notFound) = await caller.TargetAsync(user, id, org, ct);
        if (target is null)
        {
            return notFound!;
        }

        var query = await caller.SendAsync(target, HttpMethod.Post, ActionInput.Path("_apis/wit/wiql", project),
            ActionInput.Query(("$top", request.Top ?? WorkItemIds.BatchSize)), new { query = wiql }, ct);
        if (query.Problem is not null)
        {
            return query.Problem;
        }

        var ids = query.Json.TryGetProperty("workItems", out var refs) && refs.ValueKind == JsonValueKind.Array
            ? refs.EnumerateArray().Select(r => r.GetProperty("id").GetInt32()).ToList()
            : [];
        var (items, failed) = await FetchAsync(caller, target, ids, null, ct);
        return failed ?? (Results<Ok<SearchResult>, ProblemHttpResult>)TypedResults.Ok(new SearchResult(items, wiql));
    }

    public static async Task<Results<Ok<WorkItemList>, ProblemHttpResult>> BatchAsync(
        string id, string org, string? ids, string? fields, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        var parsed = WorkItemIds.Parse(ids);
        if (parsed is null || parsed.Count > WorkItemIds.MaxIds)
        {
            return ActionInput.Invalid("ids", $"give 1 to {WorkItemIds.MaxIds} positive work item ids, comma-separated.");
        }

        var fieldList = fields?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (fieldList?.Any(f => !FieldName().IsMatch(f)) == true)
        {
            return ActionInput.Invalid("fields", "must be comma-separated field reference names such as System.Title.");
        }

        var (target, problem) = await caller.TargetAsync(user, id, org, ct);
        if (target is null)
        {
            return problem!;
        }

        var (items, failed) = await FetchAsync(caller, target, parsed, fieldList, ct);
        return failed ?? (Results<Ok<WorkItemList>, ProblemHttpResult>)TypedResults.Ok(new WorkItemList(items));
    }

    public static async Task<Results<Ok<JsonElement>, ProblemHttpResult>> GetAsync(
        string id, string org, int workItemId, string? expand, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        if (expand is not null && !Expands.Contains(expand, StringComparer.OrdinalIgnoreCase))
        {
            return ActionInput.Invalid("expand", $"must be one of: {string.Join(", ", Expands)}.");
        }

        var (target, problem) = await caller.TargetAsync(user, id, org, ct);
        return target is null ? problem! : ActionsApi.One(await caller.SendAsync(target, HttpMethod.Get, $"_apis/wit/workitems/{workItemId}", ActionInput.Query(("$expand", expand)), null, ct));
    }

    public static async Task<Results<Created<JsonElement>, ProblemHttpResult>> CreateAsync(
        string id, string org, string project, CreateRequest? request, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        if (request is null)
        {
            return ActionsApi.MissingBody();
        }

        var invalid = ActionInput.Segment(project, "project")
            ?? ActionInput.Segment(request.Type, "type")
            ?? (request.Fields is not { Count: > 0 } ? ActionInput.Invalid("fields", "give at least one field, for example { \"System.Title\": \"…\" }.") : null)
            ?? (request.Fields!.Keys.FirstOrDefault(k => !FieldName().IsMatch(k)) is { } bad ? ActionInput.Invalid("fields", $"'{bad}' is not a field reference name such as System.Title.") : null);
        if (invalid is not null)
        {
            return invalid;
        }

        var (target, problem) = await caller.TargetAsync(user, id, org, ct);
        if (target is null)
        {
            return problem!;
        }

        var patch = request.Fields!.Select(f => new { op = "add", path = "/fields/" + f.Key, value = f.Value }).ToArray();
        return ActionsApi.Created(await caller.SendAsync(target, HttpMethod.Post, ActionInput.Path("_apis/wit/workitems/$" + Uri.EscapeDataString(request.Type!.Trim()), project),
            null, patch, ct, JsonPatch));
    }

    public static async Task<Results<Ok<JsonElement>, ProblemHttpResult>> UpdateAsync(
        string id, string org, int workItemId, JsonElement patch, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        if (patch.ValueKind != JsonValueKind.Array || patch.GetArrayLength() == 0
            || patch.EnumerateArray().Any(o => o.ValueKind != JsonValueKind.Object || !PatchOperations.Contains(ActionInput.Text(o, "op")) || ActionInput.Text(o, "path") is null))
        {
            return ActionInput.Invalid("body", $"must be a non-empty JSON Patch array of {{ op, path, value }} with op one of: {string.Join(", ", PatchOperations)}.");
        }

        var (target, problem) = await caller.TargetAsync(user, id, org, ct);
        return target is null ? problem! : ActionsApi.One(await caller.SendAsync(target, HttpMethod.Patch, $"_apis/wit/workitems/{workItemId}", null, patch, ct, JsonPatch));
    }

    public static async Task<Results<Ok<JsonElement>, ProblemHttpResult>> DeleteAsync(
        string id, string org, int workItemId, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        var (target, problem) = await caller.TargetAsync(user, id, org, ct);
        return target is null ? problem! : ActionsApi.One(await caller.SendAsync(target, HttpMethod.Delete, $"_apis/wit/workitems/{workItemId}", null, null, ct));
    }

    /// <summary>Fetches work items 200 per Azure DevOps call, in the order of <paramref name="ids"/>; ids that no longer exist are left out.</summary>
    private static async Task<(List<JsonElement> Items, ProblemHttpResult? Problem)> FetchAsync(
        ActionCaller caller, ActionTarget target, List<int> ids, string[]? fields, CancellationToken ct)
    {
        var items = new List<JsonElement>(ids.Count);
        foreach (var batch in WorkItemIds.Split(ids))
        {
            var answer = await caller.SendAsync(target, HttpMethod.Post, "_apis/wit/workitemsbatch", null, new { ids = batch, fields, errorPolicy = "omit" }, ct);
            if (answer.Problem is not null)
            {
                return (items, answer.Problem);
            }

            if (answer.Json.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.Array)
            {
                items.AddRange(value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.Object));
            }
        }

        return (items, null);
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_.]*$")]
    private static partial Regex FieldName();
}

using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Actions;

/// <summary>What work-item sync reads besides the items: each update (old and new values, who and when) and the
/// project's work item types with their states.</summary>
internal static class WorkItemReadActions
{
    public static async Task<Results<Ok<ActionPage>, ProblemHttpResult>> UpdatesAsync(
        string id, string org, int workItemId, int? top, int? skip, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        if ((ActionInput.Range(top, "top", 1, 200) ?? ActionInput.Range(skip, "skip", 0, int.MaxValue)) is { } invalid)
        {
            return invalid;
        }

        var (target, problem) = await caller.TargetAsync(user, id, org, ct);
        return target is null
            ? problem!
            : ActionsApi.Page(await caller.SendAsync(target, HttpMethod.Get, $"_apis/wit/workItems/{workItemId}/updates", ActionInput.Query(("$top", top), ("$skip", skip)), null, ct));
    }

    public static async Task<Results<Ok<ActionPage>, ProblemHttpResult>> TypesAsync(string id, string org, string project, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        if (ActionInput.Segment(project, "project") is { } invalid)
        {
            return invalid;
        }

        var (target, problem) = await caller.TargetAsync(user, id, org, ct);
        return target is null
            ? problem!
            : ActionsApi.Page(await caller.SendAsync(target, HttpMethod.Get, ActionInput.Path("_apis/wit/workitemtypes", project), null, null, ct));
    }
}

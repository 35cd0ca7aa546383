using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Actions;

/// <summary>Pull request update: title, description, draft, status (complete, abandon, reactivate) and auto-complete with completion options.</summary>
internal static class PullRequestUpdateActions
{
    private static readonly string[] Statuses = ["active", "abandoned", "completed"];

    private static readonly string[] MergeStrategies = ["noFastForward", "squash", "rebase", "rebaseMerge"];

    /// <summary>How a pull request is merged when it completes (now, or later by auto-complete).</summary>
    internal sealed record CompletionOptions(
        string? MergeStrategy, bool? DeleteSourceBranch, string? MergeCommitMessage, bool? TransitionWorkItems, bool? BypassPolicy, string? BypassReason);

    internal sealed record UpdatePullRequest(
        string? Title, string? Description, string? Status, bool? IsDraft, bool? AutoComplete, CompletionOptions? CompletionOptions);

    public static async Task<Results<Ok<JsonElement>, ProblemHttpResult>> UpdateAsync(
        string id, string org, string project, string repo, int pullRequestId, UpdatePullRequest? request, ClaimsPrincipal user, ActionCaller caller, CancellationToken ct)
    {
        if (request is null)
        {
            return ActionsApi.MissingBody();
        }

        if (Validate(request) is { } invalid)
        {
            return invalid;
        }

        var (target, problem) = await PullRequestActions.TargetAsync(id, org, project, repo, user, caller, ct);
        if (target is null)
        {
            return problem!;
        }

        var path = PullRequestActions.PrPath(project, repo, pullRequestId, string.Empty);
        var body = new Dictionary<string, object?>();
        Put(body, "title", request.Title?.Trim());
        Put(body, "description", request.Description);
        Put(body, "isDraft", request.IsDraft);
        Put(body, "status", request.Status);
        if (request.CompletionOptions is { } options)
        {
            body["completionOptions"] = Options(options);
        }

        if (request.Status == "completed")
        {
            // Azure DevOps completes only the source commit the caller has seen (a guard against merging a newer push
            // unseen), so read it first: the caller asked to complete what is there now.
            var current = await caller.SendAsync(target, HttpMethod.Get, path, null, null, ct);
            if (current.Problem is not null)
            {
                return current.Problem;
            }

            if (current.Json.TryGetProperty("lastMergeSourceCommit", out var commit))
            {
                body["lastMergeSourceCommit"] = new { commitId = ActionInput.Text(commit, "commitId") };
            }
        }

        if (request.AutoComplete is { } autoComplete)
        {
            // Auto-complete is set by an identity (the connection's); the empty GUID cancels it.
            var setBy = Guid.Empty.ToString();
            if (autoComplete)
            {
                var (identity, failed) = await caller.IdentityAsync(target, ct);
                if (identity is null)
                {
                    return failed!;
                }

                setBy = identity;
            }

            body["autoCompleteSetBy"] = new { id = setBy };
        }

        return ActionsApi.One(await caller.SendAsync(target, HttpMethod.Patch, path, null, body, ct));
    }

    private static ProblemHttpResult? Validate(UpdatePullRequest request)
    {
        if (request is { Title: null, Description: null, Status: null, IsDraft: null, AutoComplete: null, CompletionOptions: null })
        {
            return ActionInput.Invalid("body", "give at least one of: title, description, status, isDraft, autoComplete, completionOptions.");
        }

        var options = request.CompletionOptions;
        return (request.Title is not null && (string.IsNullOrWhiteSpace(request.Title) || request.Title.Length > 400) ? ActionInput.Invalid("title", "must not be empty and at most 400 characters.") : null)
            ?? (request.Description?.Length > 4000 ? ActionInput.Invalid("description", "must be at most 4000 characters (Azure DevOps' limit).") : null)
            ?? (request.Status is not null && !Statuses.Contains(request.Status)
                ? ActionInput.Invalid("status", "must be one of: completed (merge now), abandoned (close without merging), active (reactivate an abandoned one).") : null)
            ?? (request.Status == "completed" && request.AutoComplete == true ? ActionInput.Invalid("autoComplete", "give either status completed (merge now) or autoComplete true (merge when policies pass), not both.") : null)
            ?? (options is not null && request.Status != "completed" && request.AutoComplete != true
                ? ActionInput.Invalid("completionOptions", "apply only with status completed or autoComplete true.") : null)
            ?? (options?.MergeStrategy is { } strategy && !MergeStrategies.Contains(strategy)
                ? ActionInput.Invalid("completionOptions.mergeStrategy", $"must be one of: {string.Join(", ", MergeStrategies)}.") : null)
            ?? (options?.BypassReason is not null && options.BypassPolicy != true
                ? ActionInput.Invalid("completionOptions.bypassReason", "applies only with bypassPolicy true.") : null);
    }

    private static Dictionary<string, object?> Options(CompletionOptions options)
    {
        var json = new Dictionary<string, object?>();
        Put(json, "mergeStrategy", options.MergeStrategy);
        Put(json, "deleteSourceBranch", options.DeleteSourceBranch);
        Put(json, "mergeCommitMessage", options.MergeCommitMessage);
        Put(json, "transitionWorkItems", options.TransitionWorkItems);
        Put(json, "bypassPolicy", options.BypassPolicy);
        Put(json, "bypassReason", options.BypassReason);
        return json;
    }

    /// <summary>Only fields the caller gave: Azure DevOps' PATCH treats a null as "clear this".</summary>
    private static void Put(Dictionary<string, object?> json, string name, object? value)
    {
        if (value is not null)
        {
            json[name] = value;
        }
    }
}

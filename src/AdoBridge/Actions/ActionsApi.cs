using AdoBridge.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AdoBridge.Actions;

/// <summary>Typed actions under /v1/connections/{id}/…: short endpoints for the common Azure DevOps jobs, called as the connection.</summary>
internal static class ActionsApi
{
    private const string Org = "/organizations/{org}";
    private const string Project = Org + "/projects/{project}";
    private const string Repo = Project + "/repositories/{repo}";
    private const string Pr = Repo + "/pull-requests/{pullRequestId:int}";
    private const string Commit = Repo + "/commits/{commitId}";
    private const string WorkItemComments = Project + "/work-items/{workItemId:int}/comments";
    private const string Pipeline = Project + "/pipelines/{pipelineId:int}";
    private const string Build = Project + "/builds/{buildId:int}";

    public static RouteGroupBuilder MapActionsApi(this RouteGroupBuilder v1)
    {
        var group = v1.MapGroup("/connections/{id}").WithTags("Actions");
        group.MapGet("/organizations", GitActions.OrganizationsAsync).WithSummary("The organisations the connection holds.");
        group.MapGet(Org + "/projects", GitActions.ProjectsAsync).WithSummary("Projects of an organisation; page with `top` and `continuationToken`.");
        group.MapGet(Project + "/repositories", GitActions.RepositoriesAsync).WithSummary("Git repositories of a project.");
        group.MapGet(Repo + "/branches", GitActions.BranchesAsync).WithSummary("Branches of a repository; page with `top` and `continuationToken`.");

        group.MapGet(Repo + "/pull-requests", PullRequestActions.ListAsync).WithSummary("Pull requests; filter by status, creatorId, reviewerId, sourceRef, targetRef; page with `top` and `skip`.");
        group.MapPost(Repo + "/pull-requests", PullRequestActions.CreateAsync).WithSummary("Create a pull request.");
        group.MapGet(Pr, PullRequestActions.GetAsync).WithSummary("Get a pull request.");
        group.MapPatch(Pr, PullRequestUpdateActions.UpdateAsync).WithSummary("Update a pull request: title, description, isDraft, status (completed merges now, abandoned closes, active reactivates), autoComplete, completionOptions (mergeStrategy, deleteSourceBranch, mergeCommitMessage, transitionWorkItems, bypassPolicy).");
        group.MapGet(Pr + "/reviewers", ReviewerActions.ListAsync).WithSummary("Reviewers of a pull request, with their votes.");
        group.MapPut(Pr + "/reviewers/{reviewerId}", ReviewerActions.AddAsync).WithSummary("Add a reviewer (an identity id), optional or with `isRequired`.");
        group.MapDelete(Pr + "/reviewers/{reviewerId}", ReviewerActions.RemoveAsync).WithSummary("Remove a reviewer.");
        group.MapPut(Pr + "/vote", ReviewerActions.VoteAsync).WithSummary("Vote as the connection's identity: approve, approve-with-suggestions, no-vote, wait or reject (or 10, 5, 0, -5, -10).");
        group.MapGet(Pr + "/threads", PullRequestActions.ThreadsAsync).WithSummary("Comment threads of a pull request.");
        group.MapPost(Pr + "/threads", PullRequestActions.CreateThreadAsync).WithSummary("Start a comment thread, optionally on a file and line.");
        group.MapPatch(Pr + "/threads/{threadId:int}", PullRequestActions.UpdateThreadAsync).WithSummary("Set a thread's status: fixed, wontFix, closed or byDesign resolve it, active reopens it, pending parks it.");
        group.MapPost(Pr + "/threads/{threadId:int}/comments", PullRequestActions.ReplyAsync).WithSummary("Reply in a comment thread.");
        group.MapGet(Pr + "/changes", PullRequestChangeActions.ChangesAsync).WithSummary("Changed files of the latest iteration (or `iteration`, against the target or against iteration `compareTo`): path and change type, and with `diff=true` each text file's unified diff from its content at both commits (binary files are marked, not diffed).");
        group.MapGet(Pr + "/commits", PullRequestReadActions.CommitsAsync).WithSummary("Commits of a pull request, newest first.");
        group.MapGet(Pr + "/work-items", PullRequestReadActions.WorkItemsAsync).WithSummary("Work items linked to a pull request (id and url).");
        group.MapGet(Pr + "/policy-evaluations", PullRequestReadActions.PolicyEvaluationsAsync).WithSummary("Branch policy evaluations of a pull request: each policy, whether it blocks, and its status (queued, running, approved, rejected).");
        group.MapGet(Repo + "/files", FileActions.ContentAsync).WithSummary("A file's content at a branch, tag or commit (`path`, `version`, `versionType`); binary files come as base64.");
        group.MapPost(Pr + "/statuses", PullRequestActions.StatusAsync).WithSummary("Post a status (what code analysers report) on a pull request.");
        group.MapGet(Commit + "/statuses", CommitStatusActions.ListAsync).WithSummary("Statuses of a commit, newest first; `latestOnly` keeps the newest per genre and name; page with `top` and `skip`.");
        group.MapPost(Commit + "/statuses", CommitStatusActions.CreateAsync).WithSummary("Post a status on a commit (what CI systems and code analysers report).");

        group.MapPost(Project + "/work-items/search", WorkItemActions.SearchAsync).WithSummary("Search work items with WIQL or a structured filter (type, state, assignedTo, titleContains, tags) turned into WIQL safely.");
        group.MapPost(Project + "/work-items", WorkItemActions.CreateAsync).WithSummary("Create a work item from a type and a fields dictionary.");
        group.MapGet(Org + "/work-items", WorkItemActions.BatchAsync).WithSummary("Get work items by `ids` (comma-separated, up to 1,000; fetched 200 per Azure DevOps call).");
        group.MapGet(Org + "/work-items/{workItemId:int}", WorkItemActions.GetAsync).WithSummary("Get a work item.");
        group.MapPatch(Org + "/work-items/{workItemId:int}", WorkItemActions.UpdateAsync).WithSummary("Update a work item with a JSON Patch document, passed to Azure DevOps as it is.");
        group.MapDelete(Org + "/work-items/{workItemId:int}", WorkItemActions.DeleteAsync).WithSummary("Delete a work item (to the recycle bin).");
        group.MapGet(Org + "/work-items/{workItemId:int}/updates", WorkItemReadActions.UpdatesAsync).WithSummary("Updates of a work item: per revision, the fields' old and new values, relations added and removed, who and when; page with `top` (up to 200) and `skip`.");
        group.MapGet(Project + "/work-item-types", WorkItemReadActions.TypesAsync).WithSummary("Work item types of a project, with their states (name, color, category) and fields.");
        group.MapGet(Org + "/identities", IdentityActions.SearchAsync).WithSummary("Find people by `search` (e-mail, account or name); `by` is general (default), mail, account or name.");
        group.MapGet(WorkItemComments, WorkItemCommentActions.ListAsync).WithSummary("Comments of a work item, newest first (`order=asc` for oldest first); page with `top` (up to 200) and `continuationToken`.");
        group.MapPost(WorkItemComments, WorkItemCommentActions.AddAsync).WithSummary("Add a comment to a work item (HTML, or Markdown with `format: markdown`).");

        group.MapGet(Project + "/pipelines", PipelineActions.ListAsync).WithSummary("Pipelines of a project; page with `top` and `continuationToken`.");
        group.MapPost(Pipeline + "/runs", PipelineActions.RunAsync).WithSummary("Run a pipeline, optionally on a `branch` with `templateParameters` and `variables`.");
        group.MapGet(Pipeline + "/runs", PipelineActions.RunsAsync).WithSummary("Runs of a pipeline, newest first; page with `top` and `continuationToken`.");
        group.MapGet(Pipeline + "/runs/{runId:int}", PipelineActions.GetRunAsync).WithSummary("Get a pipeline run (state, result, branch).");
        group.MapGet(Project + "/build-definitions", BuildActions.DefinitionsAsync).WithSummary("Build definitions of a project; filter by `name` (* is a wildcard).");
        group.MapGet(Project + "/builds", BuildActions.ListAsync).WithSummary("Builds, newest first; filter by `definitionId`, `branch`, `status`; at most `top`.");
        group.MapPost(Project + "/builds", BuildActions.QueueAsync).WithSummary("Queue a build of `definitionId`, optionally on a `branch` with `parameters` (queue-time variables) and `templateParameters`.");
        group.MapGet(Build, BuildActions.GetAsync).WithSummary("Get a build (status, result, branch, parameters).");
        group.MapGet(Build + "/logs", BuildActions.LogsAsync).WithSummary("Logs of a build (id, line count).");
        group.MapGet(Build + "/logs/{logId:int}", BuildActions.LogAsync).WithSummary("A build log's lines, optionally from `startLine` to `endLine`.");
        return v1;
    }

    /// <summary>Azure DevOps' `{ count, value }` list as a page.</summary>
    internal static Results<Ok<ActionPage>, ProblemHttpResult> Page(ActionAnswer answer)
        => answer.Problem ?? (Results<Ok<ActionPage>, ProblemHttpResult>)TypedResults.Ok(new ActionPage(
            answer.Json.ValueKind == System.Text.Json.JsonValueKind.Object && answer.Json.TryGetProperty("value", out var value) ? value : answer.Json,
            answer.ContinuationToken));

    internal static Results<Ok<System.Text.Json.JsonElement>, ProblemHttpResult> One(ActionAnswer answer)
        => answer.Problem ?? (Results<Ok<System.Text.Json.JsonElement>, ProblemHttpResult>)TypedResults.Ok(answer.Json);

    internal static Results<Created<System.Text.Json.JsonElement>, ProblemHttpResult> Created(ActionAnswer answer)
        => answer.Problem ?? (Results<Created<System.Text.Json.JsonElement>, ProblemHttpResult>)TypedResults.Created((string?)null, answer.Json);

    internal static ProblemHttpResult MissingBody() => Problem.BadRequest("invalid_request", "A JSON request body is required.");
}

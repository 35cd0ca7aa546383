using AdoBridge.Hosting;
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
        var group = v1.MapGroup("/connections/{id}").WithTags("Actions")
            .WithProblemCodes(StatusCodes.Status400BadRequest, "invalid_request", "azure_devops_error")
            .WithProblemCodes(StatusCodes.Status403Forbidden, "azure_devops_error")
            .WithProblemCodes(StatusCodes.Status409Conflict, "azure_devops_error")
            .WithProblemCodes(StatusCodes.Status429TooManyRequests, "azure_devops_error")
            .WithProblemCodes(StatusCodes.Status401Unauthorized, "azure_devops_auth_failed")
            .WithProblemCodes(StatusCodes.Status404NotFound, "connection_not_found", "organization_not_in_connection", "azure_devops_error")
            .WithProblemCodes(StatusCodes.Status502BadGateway, "azure_devops_error", "azure_devops_unreachable")
            .WithProblemCodes(StatusCodes.Status503ServiceUnavailable, "token_refresh_failed")
            .WithProblemCodes(StatusCodes.Status504GatewayTimeout, "azure_devops_timeout");
        group.MapGet("/organizations", GitActions.OrganizationsAsync).WithName("listOrganizations").WithSummary("List the connection's organisations")
            .WithDescription("The organisations the connection holds.");
        group.MapGet(Org + "/projects", GitActions.ProjectsAsync).WithName("listProjects").WithSummary("List projects")
            .WithDescription("Projects of an organisation; page with `top` and `continuationToken`.");
        group.MapGet(Project + "/repositories", GitActions.RepositoriesAsync).WithName("listRepositories").WithSummary("List repositories")
            .WithDescription("Git repositories of a project.");
        group.MapGet(Repo + "/branches", GitActions.BranchesAsync).WithName("listBranches").WithSummary("List branches")
            .WithDescription("Branches of a repository; page with `top` and `continuationToken`.");

        group.MapGet(Repo + "/pull-requests", PullRequestActions.ListAsync).WithName("listPullRequests").WithSummary("List pull requests")
            .WithDescription("Pull requests; filter by status, creatorId, reviewerId, sourceRef, targetRef; page with `top` and `skip`.");
        group.MapPost(Repo + "/pull-requests", PullRequestActions.CreateAsync).WithName("createPullRequest").WithRequestExample("""{"sourceRef": "feature/login", "targetRef": "main", "title": "Add login page", "isDraft": false}""").WithSummary("Create a pull request")
            .WithDescription("Create a pull request.");
        group.MapGet(Pr, PullRequestActions.GetAsync).WithName("getPullRequest").WithSummary("Get a pull request")
            .WithDescription("Get a pull request.");
        group.MapPatch(Pr, PullRequestUpdateActions.UpdateAsync).WithName("updatePullRequest").WithSummary("Update, complete or abandon a pull request")
            .WithDescription("Update a pull request: title, description, isDraft, status (completed merges now, abandoned closes, active reactivates), autoComplete, completionOptions (mergeStrategy, deleteSourceBranch, mergeCommitMessage, transitionWorkItems, bypassPolicy).");
        group.MapGet(Pr + "/reviewers", ReviewerActions.ListAsync).WithName("listReviewers").WithSummary("List reviewers")
            .WithDescription("Reviewers of a pull request, with their votes.");
        group.MapPut(Pr + "/reviewers/{reviewerId}", ReviewerActions.AddAsync).WithName("addReviewer").WithSummary("Add a reviewer")
            .WithDescription("Add a reviewer (an identity id), optional or with `isRequired`.");
        group.MapDelete(Pr + "/reviewers/{reviewerId}", ReviewerActions.RemoveAsync).WithName("removeReviewer").WithSummary("Remove a reviewer")
            .WithDescription("Remove a reviewer.");
        group.MapPut(Pr + "/vote", ReviewerActions.VoteAsync).WithName("votePullRequest").WithRequestExample("""{"vote": "approve"}""").WithSummary("Vote on a pull request")
            .WithDescription("Vote as the connection's identity: approve, approve-with-suggestions, no-vote, wait or reject (or 10, 5, 0, -5, -10).");
        group.MapGet(Pr + "/threads", PullRequestActions.ThreadsAsync).WithName("listThreads").WithSummary("List comment threads")
            .WithDescription("Comment threads of a pull request.");
        group.MapPost(Pr + "/threads", PullRequestActions.CreateThreadAsync).WithName("createThread").WithRequestExample("""{"content": "This allocates on every call; cache it?", "filePath": "/src/Login.cs", "line": 42}""").WithSummary("Start a comment thread")
            .WithDescription("Start a comment thread, optionally on a file and line.");
        group.MapPatch(Pr + "/threads/{threadId:int}", PullRequestActions.UpdateThreadAsync).WithName("updateThread").WithSummary("Resolve or reopen a thread")
            .WithDescription("Set a thread's status: fixed, wontFix, closed or byDesign resolve it, active reopens it, pending parks it.");
        group.MapPost(Pr + "/threads/{threadId:int}/comments", PullRequestActions.ReplyAsync).WithName("replyToThread").WithSummary("Reply in a thread")
            .WithDescription("Reply in a comment thread.");
        group.MapGet(Pr + "/changes", PullRequestChangeActions.ChangesAsync).WithName("listPullRequestChanges").WithSummary("List a pull request's changed files")
            .WithDescription("Changed files of the latest iteration (or `iteration`, against the target or against iteration `compareTo`): path and change type, and with `diff=true` each text file's unified diff from its content at both commits (binary files are marked, not diffed).");
        group.MapGet(Pr + "/commits", PullRequestReadActions.CommitsAsync).WithName("listPullRequestCommits").WithSummary("List a pull request's commits")
            .WithDescription("Commits of a pull request, newest first.");
        group.MapGet(Pr + "/work-items", PullRequestReadActions.WorkItemsAsync).WithName("listPullRequestWorkItems").WithSummary("List a pull request's linked work items")
            .WithDescription("Work items linked to a pull request (id and url).");
        group.MapGet(Pr + "/policy-evaluations", PullRequestReadActions.PolicyEvaluationsAsync).WithName("listPolicyEvaluations").WithSummary("List a pull request's policy evaluations")
            .WithDescription("Branch policy evaluations of a pull request: each policy, whether it blocks, and its status (queued, running, approved, rejected).");
        group.MapGet(Repo + "/files", FileActions.ContentAsync).WithName("getFileContent").WithSummary("Get a file's content")
            .WithDescription("A file's content at a branch, tag or commit (`path`, `version`, `versionType`); binary files come as base64.");
        group.MapPost(Pr + "/statuses", PullRequestActions.StatusAsync).WithName("createPullRequestStatus").WithRequestExample("""{"state": "succeeded", "description": "No issues found", "targetUrl": "https://analyser.contoso.com/runs/981", "context": {"name": "analyser", "genre": "contoso"}}""").WithSummary("Post a pull-request status")
            .WithDescription("Post a status (what code analysers report) on a pull request.");
        group.MapGet(Commit + "/statuses", CommitStatusActions.ListAsync).WithName("listCommitStatuses").WithSummary("List commit statuses")
            .WithDescription("Statuses of a commit, newest first; `latestOnly` keeps the newest per genre and name; page with `top` and `skip`.");
        group.MapPost(Commit + "/statuses", CommitStatusActions.CreateAsync).WithName("createCommitStatus").WithSummary("Post a commit status")
            .WithDescription("Post a status on a commit (what CI systems and code analysers report).");

        group.MapPost(Project + "/work-items/search", WorkItemActions.SearchAsync).WithName("searchWorkItems").WithRequestExample("""{"type": "Bug", "state": "Active", "titleContains": "login", "top": 50}""").WithSummary("Search work items")
            .WithDescription("Search work items with WIQL or a structured filter (type, state, assignedTo, titleContains, tags) turned into WIQL safely.");
        group.MapPost(Project + "/work-items", WorkItemActions.CreateAsync).WithName("createWorkItem").WithRequestExample("""{"type": "Bug", "fields": {"System.Title": "Login fails on Safari", "Microsoft.VSTS.Common.Priority": 2}}""").WithSummary("Create a work item")
            .WithDescription("Create a work item from a type and a fields dictionary.");
        group.MapGet(Org + "/work-items", WorkItemActions.BatchAsync).WithName("getWorkItems").WithSummary("Get work items by id")
            .WithDescription("Get work items by `ids` (comma-separated, up to 1,000; fetched 200 per Azure DevOps call).");
        group.MapGet(Org + "/work-items/{workItemId:int}", WorkItemActions.GetAsync).WithName("getWorkItem").WithSummary("Get a work item")
            .WithDescription("Get a work item.");
        group.MapPatch(Org + "/work-items/{workItemId:int}", WorkItemActions.UpdateAsync).WithName("updateWorkItem").WithSummary("Update a work item")
            .WithDescription("Update a work item with a JSON Patch document, passed to Azure DevOps as it is.");
        group.MapDelete(Org + "/work-items/{workItemId:int}", WorkItemActions.DeleteAsync).WithName("deleteWorkItem").WithSummary("Delete a work item")
            .WithDescription("Delete a work item (to the recycle bin).");
        group.MapGet(Org + "/work-items/{workItemId:int}/updates", WorkItemReadActions.UpdatesAsync).WithName("listWorkItemUpdates").WithSummary("List a work item's updates")
            .WithDescription("Updates of a work item: per revision, the fields' old and new values, relations added and removed, who and when; page with `top` (up to 200) and `skip`.");
        group.MapGet(Project + "/work-item-types", WorkItemReadActions.TypesAsync).WithName("listWorkItemTypes").WithSummary("List work item types and their states")
            .WithDescription("Work item types of a project, with their states (name, color, category) and fields.");
        group.MapGet(Org + "/identities", IdentityActions.SearchAsync).WithName("searchIdentities").WithSummary("Find people")
            .WithDescription("Find people by `search` (e-mail, account or name); `by` is general (default), mail, account or name.");
        group.MapGet(WorkItemComments, WorkItemCommentActions.ListAsync).WithName("listWorkItemComments").WithSummary("List work-item comments")
            .WithDescription("Comments of a work item, newest first (`order=asc` for oldest first); page with `top` (up to 200) and `continuationToken`.");
        group.MapPost(WorkItemComments, WorkItemCommentActions.AddAsync).WithName("addWorkItemComment").WithSummary("Comment on a work item")
            .WithDescription("Add a comment to a work item (HTML, or Markdown with `format: markdown`).");

        group.MapGet(Project + "/pipelines", PipelineActions.ListAsync).WithName("listPipelines").WithSummary("List pipelines")
            .WithDescription("Pipelines of a project; page with `top` and `continuationToken`.");
        group.MapPost(Pipeline + "/runs", PipelineActions.RunAsync).WithName("runPipeline").WithRequestExample("""{"branch": "main", "templateParameters": {"environment": "staging"}}""").WithSummary("Run a pipeline")
            .WithDescription("Run a pipeline, optionally on a `branch` with `templateParameters` and `variables`.");
        group.MapGet(Pipeline + "/runs", PipelineActions.RunsAsync).WithName("listPipelineRuns").WithSummary("List pipeline runs")
            .WithDescription("Runs of a pipeline, newest first; page with `top` and `continuationToken`.");
        group.MapGet(Pipeline + "/runs/{runId:int}", PipelineActions.GetRunAsync).WithName("getPipelineRun").WithSummary("Get a pipeline run")
            .WithDescription("Get a pipeline run (state, result, branch).");
        group.MapGet(Project + "/build-definitions", BuildActions.DefinitionsAsync).WithName("listBuildDefinitions").WithSummary("List build definitions")
            .WithDescription("Build definitions of a project; filter by `name` (* is a wildcard); page with `top` and `continuationToken`.");
        group.MapGet(Project + "/builds", BuildActions.ListAsync).WithName("listBuilds").WithSummary("List builds")
            .WithDescription("Builds, newest first; filter by `definitionId`, `branch`, `status`; page with `top` and `continuationToken`.");
        group.MapPost(Project + "/builds", BuildActions.QueueAsync).WithName("queueBuild").WithRequestExample("""{"definitionId": 1, "branch": "main", "parameters": {"configuration": "Release"}}""").WithSummary("Queue a build")
            .WithDescription("Queue a build of `definitionId`, optionally on a `branch` with `parameters` (queue-time variables) and `templateParameters`.");
        group.MapGet(Build, BuildActions.GetAsync).WithName("getBuild").WithSummary("Get a build")
            .WithDescription("Get a build (status, result, branch, parameters).");
        group.MapGet(Build + "/logs", BuildActions.LogsAsync).WithName("listBuildLogs").WithSummary("List a build's logs")
            .WithDescription("Logs of a build (id, line count).");
        group.MapGet(Build + "/logs/{logId:int}", BuildActions.LogAsync).WithName("getBuildLog").WithSummary("Get a build log's lines")
            .WithDescription("A build log's lines, optionally from `startLine` to `endLine`.");
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

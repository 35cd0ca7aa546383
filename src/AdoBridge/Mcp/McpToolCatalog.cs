using System.Collections.Frozen;
using System.Text.Json.Nodes;
using AdoBridge.Actions;
using static AdoBridge.Mcp.McpToolEffect;

namespace AdoBridge.Mcp;

/// <summary>
/// Every typed action as an MCP tool (tool names version 1, see the README's MCP section). Names are stable: a renamed
/// tool keeps its old name in <see cref="Aliases"/> for at least a release, accepted by tools/call and X-MCP-Tools.
/// Each tool calls the action handler its REST route calls, so rules live in one place.
/// </summary>
internal static class McpToolCatalog
{
    public const string ToolNamesVersion = "1";

    public const string Core = "core";
    public const string Repos = "repos";
    public const string PullRequests = "pull_requests";
    public const string WorkItems = "work_items";
    public const string Pipelines = "pipelines";

    /// <summary>The toolsets in the order the README lists them. `core` is always on.</summary>
    public static readonly IReadOnlyList<string> Toolsets = [Core, Repos, PullRequests, WorkItems, Pipelines];

    /// <summary>Microsoft's remote-server toolset names that mean one of ours, so its X-MCP-Toolsets values work as they are.</summary>
    public static readonly FrozenDictionary<string, string> ToolsetAliases = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["wit"] = WorkItems,
        ["work-items"] = WorkItems,
        ["pull-requests"] = PullRequests,
        ["repositories"] = Repos,
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>Old tool name → current name, for renamed tools (none yet in version 1).</summary>
    public static readonly FrozenDictionary<string, string> Aliases = FrozenDictionary<string, string>.Empty;

    private const string TopHelp = "Page size.";
    private const string TokenHelp = "The continuationToken of the previous page.";

    public static IReadOnlyList<McpTool> Create() =>
    [
        // core
        McpTool.Create("list_organizations", Core, "List organisations", "The Azure DevOps organisations (or the Server collection) the connection holds: the values `organization` takes.", Read, true,
            McpToolInput.Connection(), c => GitActions.OrganizationsAsync(c.ConnectionId, c.User, c.Caller, c.Ct)),
        McpTool.Create("list_projects", Core, "List projects", "Projects of an organisation; page with `top` and `continuationToken`.", Read, true,
            McpToolInput.Organization().Int("top", TopHelp, min: 1, max: 1000).Int("skip", "Projects to skip.", min: 0).Str("continuationToken", TokenHelp),
            c => GitActions.ProjectsAsync(c.ConnectionId, c.Org, c.Int("top"), c.Int("skip"), c.Str("continuationToken"), c.User, c.Caller, c.Ct)),
        McpTool.Create("search_identities", Core, "Find people", "Find people by e-mail, account or name (for reviewers and assignees); `by` is general (default), mail, account or name.", Read, true,
            McpToolInput.Organization().Str("search", "What to look for.", required: true).Str("by", "general, mail, account or name."),
            c => IdentityActions.SearchAsync(c.ConnectionId, c.Org, c.Str("search"), c.Str("by"), c.User, c.Caller, c.Ct)),

        // repos
        McpTool.Create("list_repositories", Repos, "List repositories", "Git repositories of a project.", Read, true,
            McpToolInput.Project(), c => GitActions.RepositoriesAsync(c.ConnectionId, c.Org, c.Req("project"), c.User, c.Caller, c.Ct)),
        McpTool.Create("list_branches", Repos, "List branches", "Branches of a repository; page with `top` and `continuationToken`.", Read, true,
            McpToolInput.Repository().Int("top", TopHelp, min: 1, max: 1000).Str("continuationToken", TokenHelp),
            c => GitActions.BranchesAsync(c.ConnectionId, c.Org, c.Req("project"), c.Req("repository"), c.Int("top"), c.Str("continuationToken"), c.User, c.Caller, c.Ct)),
        McpTool.Create("get_file_content", Repos, "Get a file's content", "A file's content at a branch, tag or commit (`version`, `versionType` branch, tag or commit); binary files come as base64.", Read, true,
            McpToolInput.Repository().Str("path", "The file's path, e.g. /src/app.cs.", required: true).Str("version", "A branch, tag or commit; default: the default branch.").Str("versionType", "branch (default), tag or commit."),
            c => FileActions.ContentAsync(c.ConnectionId, c.Org, c.Req("project"), c.Req("repository"), c.Str("path"), c.Str("version"), c.Str("versionType"), c.User, c.Caller, c.Ct)),
        McpTool.Create("list_commit_statuses", Repos, "List commit statuses", "Statuses of a commit, newest first; `latestOnly` keeps the newest per genre and name.", Read, true,
            McpToolInput.Repository().Str("commitId", "The commit id.", required: true).Int("top", TopHelp, min: 1, max: 1000).Int("skip", "Statuses to skip.", min: 0).Bool("latestOnly", "Only the newest status per genre and name."),
            c => CommitStatusActions.ListAsync(c.ConnectionId, c.Org, c.Req("project"), c.Req("repository"), c.Req("commitId"), c.Int("top"), c.Int("skip"), c.Bool("latestOnly"), c.User, c.Caller, c.Ct)),
        McpTool.Create("create_commit_status", Repos, "Post a commit status", "Post a status on a commit (what CI systems and analysers report).", Write, false,
            StatusInput(McpToolInput.Repository().Str("commitId", "The commit id.", required: true)),
            c => CommitStatusActions.CreateAsync(c.ConnectionId, c.Org, c.Req("project"), c.Req("repository"), c.Req("commitId"), c.Body<CommitStatusActions.PostCommitStatus>(), c.User, c.Caller, c.Ct)),

        // pull requests
        McpTool.Create("list_pull_requests", PullRequests, "List pull requests", "Pull requests of a repository; filter by status (active, abandoned, completed, all), creatorId, reviewerId, sourceRef, targetRef; page with `top` and `skip`.", Read, true,
            McpToolInput.Repository().Str("status", "active (default), abandoned, completed or all.").Str("creatorId", "Identity id (GUID) of the creator.").Str("reviewerId", "Identity id (GUID) of a reviewer.")
                .Str("sourceRef", "Source branch.").Str("targetRef", "Target branch.").Int("top", TopHelp, min: 1, max: 1000).Int("skip", "Pull requests to skip.", min: 0),
            c => PullRequestActions.ListAsync(c.ConnectionId, c.Org, c.Req("project"), c.Req("repository"), c.Str("status"), c.Str("creatorId"), c.Str("reviewerId"), c.Str("sourceRef"), c.Str("targetRef"), c.Int("top"), c.Int("skip"), c.User, c.Caller, c.Ct)),
        McpTool.Create("get_pull_request", PullRequests, "Get a pull request", "A pull request: title, description, status, branches, reviewers and votes.", Read, true,
            McpToolInput.PullRequest(), c => PullRequestActions.GetAsync(c.ConnectionId, c.Org, c.Req("project"), c.Req("repository"), c.ReqInt("pullRequestId"), c.User, c.Caller, c.Ct)),
        McpTool.Create("create_pull_request", PullRequests, "Create a pull request", "Create a pull request from `sourceRef` into `targetRef`.", Write, false,
            McpToolInput.Repository().Str("sourceRef", "Source branch (feature/login or refs/heads/feature/login).", required: true).Str("targetRef", "Target branch.", required: true)
                .Str("title", "Title.", required: true, maxLength: 400).Str("description", "Description (Markdown).").Bool("isDraft", "Create as a draft.").StrArray("reviewers", "Identity ids (GUIDs) of reviewers."),
            c => PullRequestActions.CreateAsync(c.ConnectionId, c.Org, c.Req("project"), c.Req("repository"), c.Body<PullRequestActions.CreatePullRequest>(), c.User, c.Caller, c.Ct)),
        McpTool.Create("update_pull_request", PullRequests, "Update, complete or abandon a pull request", "Update a pull request: title, description, isDraft, status (completed merges now, abandoned closes, active reactivates), autoComplete, completionOptions (mergeStrategy, deleteSourceBranch, mergeCommitMessage, transitionWorkItems, bypassPolicy, bypassReason).", Destructive, true,
            McpToolInput.PullRequest().Str("title", "New title.").Str("description", "New description.").Str("status", "completed (merge), abandoned or active.").Bool("isDraft", "Draft or published.").Bool("autoComplete", "Complete when policies pass.")
                .Raw("completionOptions", new JsonObject { ["type"] = "object", ["description"] = "mergeStrategy (noFastForward, squash, rebase, rebaseMerge), deleteSourceBranch, mergeCommitMessage, transitionWorkItems, bypassPolicy, bypassReason." }),
            c => PullRequestUpdateActions.UpdateAsync(c.ConnectionId, c.Org, c.Req("project"), c.Req("repository"), c.ReqInt("pullRequestId"), c.Body<PullRequestUpdateActions.UpdatePullRequest>(), c.User, c.Caller, c.Ct)),
        McpTool.Create("list_pull_request_reviewers", PullRequests, "List reviewers", "Reviewers of a pull request, with their votes.", Read, true,
            McpToolInput.PullRequest(), c => ReviewerActions.ListAsync(c.ConnectionId, c.Org, c.Req("project"), c.Req("repository"), c.ReqInt("pullRequestId"), c.User, c.Caller, c.Ct)),
        McpTool.Create("add_pull_request_reviewer", PullRequests, "Add a reviewer", "Add a reviewer (an identity id), optional or with `isRequired`.", Write, true,
            McpToolInput.PullRequest().Str("reviewerId", "Identity id (GUID) of the reviewer.", required: true).Bool("isRequired", "A required reviewer."),
            c => ReviewerActions.AddAsync(c.ConnectionId, c.Org, c.Req("project"), c.Req("repository"), c.ReqInt("pullRequestId"), c.Req("reviewerId"), c.Body<ReviewerActions.AddReviewer>(), c.User, c.Caller, c.Ct)),
        McpTool.Create("remove_pull_request_reviewer", PullRequests, "Remove a reviewer", "Remove a reviewer from a pull request.", Destructive, true,
            McpToolInput.PullRequest().Str("reviewerId", "Identity id (GUID) of the reviewer.", required: true),
            c => ReviewerActions.RemoveAsync(c.ConnectionId, c.Org, c.Req("project"), c.Req("repository"), c.ReqInt("pullRequestId"), c.Req("reviewerId"), c.User, c.Caller, c.Ct)),
        McpTool.Create("vote_pull_request", PullRequests, "Vote on a pull request", "Vote as the connection's identity: approve, approve-with-suggestions, no-vote, wait or reject (or 10, 5, 0, -5, -10).", Write, true,
            McpToolInput.PullRequest().Raw("vote", new JsonObject { ["type"] = new JsonArray("string", "integer"), ["description"] = "approve, approve-with-suggestions, no-vote, wait, reject, or 10, 5, 0, -5, -10." }, required: true),
            c => ReviewerActions.VoteAsync(c.ConnectionId, c.Org, c.Req("project"), c.Req("repository"), c.ReqInt("pullRequestId"), new ReviewerActions.VoteRequest(c.Json("vote")), c.User, c.Caller, c.Ct)),
        McpTool.Create("list_pull_request_threads", PullRequests, "List comment threads", "Comment threads of a pull request, with their comments.", Read, true,
            McpToolInput.PullRequest(), c => PullRequestActions.ThreadsAsync(c.ConnectionId, c.Org, c.Req("project"), c.Req("repository"), c.ReqInt("pullRequestId"), c.User, c.Caller, c.Ct)),
        McpTool.Create("create_pull_request_thread", PullRequests, "Start a comment thread", "Start a comment thread, optionally on a file (`filePath`) and `line`.", Write, false,
            McpToolInput.PullRequest().Str("content", "The comment (Markdown).", required: true).Str("status", "active (default), pending, fixed, wontFix, closed or byDesign.").Str("filePath", "File the thread is on.").Int("line", "Line in the file.", min: 1),
            c => PullRequestActions.CreateThreadAsync(c.ConnectionId, c.Org, c.Req("project"), c.Req("repository"), c.ReqInt("pullRequestId"), c.Body<PullRequestActions.CreateThread>(), c.User, c.Caller, c.Ct)),
        McpTool.Create("reply_to_pull_request_thread", PullRequests, "Reply in a thread", "Reply in a comment thread.", Write, false,
            McpToolInput.PullRequest().Int("threadId", "The thread id.", required: true, min: 1).Str("content", "The reply (Markdown).", required: true).Int("parentCommentId", "The comment replied to (default: the first).", min: 1),
            c => PullRequestActions.ReplyAsync(c.ConnectionId, c.Org, c.Req("project"), c.Req("repository"), c.ReqInt("pullRequestId"), c.ReqInt("threadId"), c.Body<PullRequestActions.Reply>(), c.User, c.Caller, c.Ct)),
        McpTool.Create("update_pull_request_thread", PullRequests, "Resolve or reopen a thread", "Set a thread's status: fixed, wontFix, closed or byDesign resolve it, active reopens it, pending parks it.", Write, true,
            McpToolInput.PullRequest().Int("threadId", "The thread id.", required: true, min: 1).Str("status", "fixed, wontFix, closed, byDesign, active or pending.", required: true),
            c => PullRequestActions.UpdateThreadAsync(c.ConnectionId, c.Org, c.Req("project"), c.Req("repository"), c.ReqInt("pullRequestId"), c.ReqInt("threadId"), c.Body<PullRequestActions.ThreadStatus>(), c.User, c.Caller, c.Ct)),
        McpTool.Create("list_pull_request_changes", PullRequests, "List a pull request's changed files", "Changed files of the latest iteration (or `iteration`, against the target or against iteration `compareTo`), and with `diff` each text file's unified diff.", Read, true,
            McpToolInput.PullRequest().Int("iteration", "Iteration (default: the latest).", min: 1).Int("compareTo", "Iteration to compare with (default: the target).", min: 0).Bool("diff", "Include unified diffs."),
            c => PullRequestChangeActions.ChangesAsync(c.ConnectionId, c.Org, c.Req("project"), c.Req("repository"), c.ReqInt("pullRequestId"), c.Int("iteration"), c.Int("compareTo"), c.Bool("diff"), c.User, c.Caller, c.Ct)),
        McpTool.Create("list_pull_request_commits", PullRequests, "List a pull request's commits", "Commits of a pull request, newest first.", Read, true,
            McpToolInput.PullRequest(), c => PullRequestReadActions.CommitsAsync(c.ConnectionId, c.Org, c.Req("project"), c.Req("repository"), c.ReqInt("pullRequestId"), c.User, c.Caller, c.Ct)),
        McpTool.Create("list_pull_request_work_items", PullRequests, "List a pull request's linked work items", "Work items linked to a pull request (id and url).", Read, true,
            McpToolInput.PullRequest(), c => PullRequestReadActions.WorkItemsAsync(c.ConnectionId, c.Org, c.Req("project"), c.Req("repository"), c.ReqInt("pullRequestId"), c.User, c.Caller, c.Ct)),
        McpTool.Create("list_pull_request_policy_evaluations", PullRequests, "List policy evaluations", "Branch policy evaluations of a pull request: each policy, whether it blocks, and its status.", Read, true,
            McpToolInput.PullRequest(), c => PullRequestReadActions.PolicyEvaluationsAsync(c.ConnectionId, c.Org, c.Req("project"), c.Req("repository"), c.ReqInt("pullRequestId"), c.User, c.Caller, c.Ct)),
        McpTool.Create("create_pull_request_status", PullRequests, "Post a pull-request status", "Post a status (what code analysers report) on a pull request.", Write, false,
            StatusInput(McpToolInput.PullRequest()).Int("iterationId", "The iteration the status is about.", min: 1),
            c => PullRequestActions.StatusAsync(c.ConnectionId, c.Org, c.Req("project"), c.Req("repository"), c.ReqInt("pullRequestId"), c.Body<PullRequestActions.PostStatus>(), c.User, c.Caller, c.Ct)),

        // work items
        McpTool.Create("search_work_items", WorkItems, "Search work items", "Search work items with WIQL (`wiql`) or a structured filter (type, state, assignedTo, titleContains, tags) turned into WIQL safely.", Read, true,
            McpToolInput.Project().Str("wiql", "A WIQL query; instead of the filter.").Str("type", "Work item type, e.g. Bug.").Str("state", "State, e.g. Active.").Str("assignedTo", "Who it is assigned to.")
                .Str("titleContains", "Text in the title.").StrArray("tags", "Tags it has (all of them).").Int("top", "At most this many.", min: 1),
            c => WorkItemActions.SearchAsync(c.ConnectionId, c.Org, c.Req("project"), c.Body<WorkItemActions.SearchRequest>(), c.User, c.Caller, c.Ct)),
        McpTool.Create("get_work_items", WorkItems, "Get work items by id", "Work items by `ids` (up to 1,000), optionally only `fields`.", Read, true,
            McpToolInput.Organization().Raw("ids", new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "integer" }, ["description"] = "Work item ids." }, required: true)
                .StrArray("fields", "Field reference names, e.g. System.Title."),
            c => WorkItemActions.BatchAsync(c.ConnectionId, c.Org, c.List("ids"), c.List("fields"), c.User, c.Caller, c.Ct)),
        McpTool.Create("get_work_item", WorkItems, "Get a work item", "A work item with its fields (`expand`: none, relations, fields, links or all).", Read, true,
            McpToolInput.Organization().Int("workItemId", "The work item id.", required: true, min: 1).Str("expand", "none, relations, fields, links or all."),
            c => WorkItemActions.GetAsync(c.ConnectionId, c.Org, c.ReqInt("workItemId"), c.Str("expand"), c.User, c.Caller, c.Ct)),
        McpTool.Create("create_work_item", WorkItems, "Create a work item", "Create a work item from a type and a fields dictionary (field reference names, e.g. System.Title).", Write, false,
            McpToolInput.Project().Str("type", "Work item type, e.g. Bug.", required: true)
                .Raw("fields", new JsonObject { ["type"] = "object", ["description"] = "Field values by reference name, e.g. {\"System.Title\": \"Login fails\"}." }, required: true),
            c => WorkItemActions.CreateAsync(c.ConnectionId, c.Org, c.Req("project"), c.Body<WorkItemActions.CreateRequest>(), c.User, c.Caller, c.Ct)),
        McpTool.Create("update_work_item", WorkItems, "Update a work item", "Update a work item with a JSON Patch document (op, path, value), passed to Azure DevOps as it is.", Destructive, false,
            McpToolInput.Organization().Int("workItemId", "The work item id.", required: true, min: 1)
                .Raw("patch", new JsonObject { ["type"] = "array", ["items"] = new JsonObject { ["type"] = "object" }, ["description"] = "JSON Patch operations, e.g. [{\"op\": \"add\", \"path\": \"/fields/System.State\", \"value\": \"Resolved\"}]." }, required: true),
            c => WorkItemActions.UpdateAsync(c.ConnectionId, c.Org, c.ReqInt("workItemId"), c.Json("patch"), c.User, c.Caller, c.Ct)),
        McpTool.Create("delete_work_item", WorkItems, "Delete a work item", "Delete a work item (to the recycle bin).", Destructive, true,
            McpToolInput.Organization().Int("workItemId", "The work item id.", required: true, min: 1),
            c => WorkItemActions.DeleteAsync(c.ConnectionId, c.Org, c.ReqInt("workItemId"), c.User, c.Caller, c.Ct)),
        McpTool.Create("list_work_item_updates", WorkItems, "List a work item's updates", "Updates of a work item: per revision the fields' old and new values, relations added and removed, who and when.", Read, true,
            McpToolInput.Organization().Int("workItemId", "The work item id.", required: true, min: 1).Int("top", TopHelp, min: 1, max: 200).Int("skip", "Updates to skip.", min: 0),
            c => WorkItemReadActions.UpdatesAsync(c.ConnectionId, c.Org, c.ReqInt("workItemId"), c.Int("top"), c.Int("skip"), c.User, c.Caller, c.Ct)),
        McpTool.Create("list_work_item_types", WorkItems, "List work item types", "Work item types of a project, with their states and fields.", Read, true,
            McpToolInput.Project(), c => WorkItemReadActions.TypesAsync(c.ConnectionId, c.Org, c.Req("project"), c.User, c.Caller, c.Ct)),
        McpTool.Create("list_work_item_comments", WorkItems, "List work-item comments", "Comments of a work item, newest first (`order` asc for oldest first).", Read, true,
            McpToolInput.Project().Int("workItemId", "The work item id.", required: true, min: 1).Int("top", TopHelp, min: 1, max: 200).Str("continuationToken", TokenHelp).Str("order", "desc (default) or asc."),
            c => WorkItemCommentActions.ListAsync(c.ConnectionId, c.Org, c.Req("project"), c.ReqInt("workItemId"), c.Int("top"), c.Str("continuationToken"), c.Str("order"), c.User, c.Caller, c.Ct)),
        McpTool.Create("add_work_item_comment", WorkItems, "Comment on a work item", "Add a comment to a work item (HTML, or Markdown with `format` markdown).", Write, false,
            McpToolInput.Project().Int("workItemId", "The work item id.", required: true, min: 1).Str("text", "The comment.", required: true).Str("format", "html (default) or markdown."),
            c => WorkItemCommentActions.AddAsync(c.ConnectionId, c.Org, c.Req("project"), c.ReqInt("workItemId"), c.Body<WorkItemCommentActions.AddComment>(), c.User, c.Caller, c.Ct)),

        // pipelines and builds
        McpTool.Create("list_pipelines", Pipelines, "List pipelines", "Pipelines of a project; page with `top` and `continuationToken`.", Read, true,
            McpToolInput.Project().Int("top", TopHelp, min: 1, max: 1000).Str("continuationToken", TokenHelp),
            c => PipelineActions.ListAsync(c.ConnectionId, c.Org, c.Req("project"), c.Int("top"), c.Str("continuationToken"), c.User, c.Caller, c.Ct)),
        McpTool.Create("run_pipeline", Pipelines, "Run a pipeline", "Run a pipeline, optionally on a `branch` with `templateParameters` and `variables`. The pipeline's code runs with its own permissions.", Destructive, false,
            McpToolInput.Project().Int("pipelineId", "The pipeline id.", required: true, min: 1).Str("branch", "Branch to run on.").StrMap("templateParameters", "Template parameters by name.")
                .Raw("variables", new JsonObject { ["type"] = "object", ["description"] = "Variables by name: {\"name\": {\"value\": \"…\", \"isSecret\": false}}." }),
            c => PipelineActions.RunAsync(c.ConnectionId, c.Org, c.Req("project"), c.ReqInt("pipelineId"), c.Body<PipelineActions.RunPipeline>(), c.User, c.Caller, c.Ct), openWorld: true),
        McpTool.Create("list_pipeline_runs", Pipelines, "List pipeline runs", "Runs of a pipeline, newest first.", Read, true,
            McpToolInput.Project().Int("pipelineId", "The pipeline id.", required: true, min: 1).Int("top", TopHelp, min: 1, max: 1000).Str("continuationToken", TokenHelp),
            c => PipelineActions.RunsAsync(c.ConnectionId, c.Org, c.Req("project"), c.ReqInt("pipelineId"), c.Int("top"), c.Str("continuationToken"), c.User, c.Caller, c.Ct)),
        McpTool.Create("get_pipeline_run", Pipelines, "Get a pipeline run", "A pipeline run: state, result, branch.", Read, true,
            McpToolInput.Project().Int("pipelineId", "The pipeline id.", required: true, min: 1).Int("runId", "The run id.", required: true, min: 1),
            c => PipelineActions.GetRunAsync(c.ConnectionId, c.Org, c.Req("project"), c.ReqInt("pipelineId"), c.ReqInt("runId"), c.User, c.Caller, c.Ct)),
        McpTool.Create("list_build_definitions", Pipelines, "List build definitions", "Build definitions of a project; filter by `name` (* is a wildcard).", Read, true,
            McpToolInput.Project().Str("name", "Name filter.").Int("top", TopHelp, min: 1, max: 1000).Str("continuationToken", TokenHelp),
            c => BuildActions.DefinitionsAsync(c.ConnectionId, c.Org, c.Req("project"), c.Str("name"), c.Int("top"), c.Str("continuationToken"), c.User, c.Caller, c.Ct)),
        McpTool.Create("list_builds", Pipelines, "List builds", "Builds, newest first; filter by `definitionId`, `branch`, `status`.", Read, true,
            McpToolInput.Project().Int("definitionId", "Build definition id.", min: 1).Str("branch", "Branch.").Str("status", "all, cancelling, completed, inProgress, notStarted or postponed.").Int("top", TopHelp, min: 1, max: 1000).Str("continuationToken", TokenHelp),
            c => BuildActions.ListAsync(c.ConnectionId, c.Org, c.Req("project"), c.Int("definitionId"), c.Str("branch"), c.Str("status"), c.Int("top"), c.Str("continuationToken"), c.User, c.Caller, c.Ct)),
        McpTool.Create("queue_build", Pipelines, "Queue a build", "Queue a build of `definitionId`, optionally on a `branch` with `parameters` (queue-time variables) and `templateParameters`. The build's code runs with its own permissions.", Destructive, false,
            McpToolInput.Project().Int("definitionId", "The build definition id.", required: true, min: 1).Str("branch", "Branch.").StrMap("parameters", "Queue-time variables by name.").StrMap("templateParameters", "Template parameters by name."),
            c => BuildActions.QueueAsync(c.ConnectionId, c.Org, c.Req("project"), c.Body<BuildActions.QueueBuild>(), c.User, c.Caller, c.Ct), openWorld: true),
        McpTool.Create("get_build", Pipelines, "Get a build", "A build: status, result, branch, parameters.", Read, true,
            McpToolInput.Project().Int("buildId", "The build id.", required: true, min: 1),
            c => BuildActions.GetAsync(c.ConnectionId, c.Org, c.Req("project"), c.ReqInt("buildId"), c.User, c.Caller, c.Ct)),
        McpTool.Create("list_build_logs", Pipelines, "List a build's logs", "Logs of a build (id, line count).", Read, true,
            McpToolInput.Project().Int("buildId", "The build id.", required: true, min: 1),
            c => BuildActions.LogsAsync(c.ConnectionId, c.Org, c.Req("project"), c.ReqInt("buildId"), c.User, c.Caller, c.Ct)),
        McpTool.Create("get_build_log", Pipelines, "Get a build log's lines", "A build log's lines, optionally from `startLine` to `endLine`.", Read, true,
            McpToolInput.Project().Int("buildId", "The build id.", required: true, min: 1).Int("logId", "The log id.", required: true, min: 1).Int("startLine", "First line.", min: 1).Int("endLine", "Last line.", min: 1),
            c => BuildActions.LogAsync(c.ConnectionId, c.Org, c.Req("project"), c.ReqInt("buildId"), c.ReqInt("logId"), c.Int("startLine"), c.Int("endLine"), c.User, c.Caller, c.Ct)),
    ];

    private static McpToolInput StatusInput(McpToolInput input)
        => input.Str("state", "succeeded, failed, pending, error, notApplicable or notSet.", required: true).Str("description", "What the status says.").Str("targetUrl", "Link to details (http or https).")
            .Raw("context", new JsonObject
            {
                ["type"] = "object",
                ["description"] = "Who reports: {\"name\": \"my-analyser\", \"genre\": \"contoso\"}.",
                ["properties"] = new JsonObject { ["name"] = new JsonObject { ["type"] = "string" }, ["genre"] = new JsonObject { ["type"] = "string" } },
                ["required"] = new JsonArray("name"),
            }, required: true);
}

using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Commits (list with searchCriteria and $top/$skip, get) and commit statuses (list, create).</summary>
internal static class CommitsEndpoints
{
    public const string StatusScopes = "vso.code_status|vso.code_write";
    private static readonly string[] StatusStates = ["notSet", "pending", "succeeded", "failed", "error", "notApplicable"];

    public static IResult List(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code", call => state.Read(d =>
        {
            var id = call.Route("repositoryId")!;
            var repo = GitStore.FindRepository(d, call, id);
            if (repo is null)
            {
                return GitStore.RepositoryNotFound(id);
            }

            // searchCriteria.itemVersion.version (REST reference) or the flattened names the official clients send.
            var version = call.Query("searchCriteria.itemVersion.version") ?? call.Query("itemVersion.version") ?? call.Query("version");
            var versionType = call.Query("searchCriteria.itemVersion.versionType") ?? call.Query("itemVersion.versionType") ?? call.Query("versionType");
            var head = GitStore.ResolveVersion(d, repo, version, versionType);
            if (head is null)
            {
                return UnresolvableVersion(repo, version ?? repo.DefaultBranch);
            }

            IEnumerable<GitCommitData> commits = GitStore.History(d, head);
            if (call.Criteria("author") is { } author)
            {
                commits = commits.Where(c => c.AuthorName.Contains(author, StringComparison.OrdinalIgnoreCase) || c.AuthorEmail.Contains(author, StringComparison.OrdinalIgnoreCase));
            }

            if (call.Criteria("itemPath") is { } path)
            {
                commits = commits.Where(c => c.Changes.Keys.Any(k => k.StartsWith(path, StringComparison.OrdinalIgnoreCase)));
            }

            if (DateTimeOffset.TryParse(call.Criteria("fromDate"), out var from))
            {
                commits = commits.Where(c => c.Date >= from);
            }

            if (DateTimeOffset.TryParse(call.Criteria("toDate"), out var to))
            {
                commits = commits.Where(c => c.Date <= to);
            }

            var skip = call.QueryInt("searchCriteria.$skip") ?? call.QueryInt("$skip") ?? 0;
            var top = call.QueryInt("searchCriteria.$top") ?? call.QueryInt("$top") ?? 100;
            return call.List(commits.Skip(skip).Take(top).Select(c => GitJson.Commit(call.OrgUrl, d, repo, c)).ToArray());
        }));

    public static IResult Get(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code", call => state.Read(d =>
        {
            var found = CommitsEndpoints.RouteCommit(d, call);
            if (found is not ({ } repo, { } commit, _))
            {
                return found.NotFound!;
            }

            // One commit names the push that brought it (git.json GitCommit.push, as in the 7.1 commits example).
            var json = GitJson.Commit(call.OrgUrl, d, repo, commit, full: true);
            var push = d.Pushes.FirstOrDefault(p => p.RepositoryId == repo.Id && p.CommitIds.Contains(commit.CommitId, StringComparer.OrdinalIgnoreCase));
            if (push is not null)
            {
                json["push"] = new Dictionary<string, object?>
                {
                    ["pushedBy"] = DevOpsJson.Identity(call, d, push.PushedBy),
                    ["pushId"] = push.PushId,
                    ["date"] = DevOpsJson.Iso(push.Date),
                };
            }

            return DevOpsJson.Ok(json);
        }));

    public static IResult ListStatuses(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code|vso.code_status", call => state.Read(d =>
        {
            var id = call.Route("repositoryId")!;
            var repo = GitStore.FindRepository(d, call, id);
            if (repo is null)
            {
                return GitStore.RepositoryNotFound(id);
            }

            var commitId = call.Route("commitId")!;
            var statuses = d.Statuses.Where(s => s.RepositoryId == repo.Id && string.Equals(s.CommitId, commitId, StringComparison.OrdinalIgnoreCase))
                .OrderByDescending(s => s.Id)
                .ToList();
            if (call.QueryBool("latestOnly"))
            {
                statuses = statuses.DistinctBy(s => (s.Genre, s.Name)).ToList();
            }

            var page = statuses.Skip(call.QueryInt("skip") ?? 0).Take(call.QueryInt("top") ?? 1000);
            return call.List(page.Select(s => GitJson.Status(call, d, s)).ToArray());
        }));

    public static Task<IResult> CreateStatus(HttpContext http, EmulatorState state) =>
        DevOpsApi.RunAsync(http, state, StatusScopes, async call =>
        {
            var (body, error) = await call.ReadJsonAsync();
            if (error is not null)
            {
                return error;
            }

            var (status, invalid) = ParseStatus(body);
            if (invalid is not null)
            {
                return invalid;
            }

            return state.Write(d =>
            {
                var found = CommitsEndpoints.RouteCommit(d, call);
                if (found is not ({ } repo, { } commit, _))
                {
                    return found.NotFound!;
                }

                status!.Id = d.NextId("status");
                status.RepositoryId = repo.Id;
                status.CommitId = commit.CommitId;
                status.CreatedBy = call.Caller.Id;
                status.CreationDate = call.Now;
                d.Statuses.Add(status);
                return DevOpsJson.Ok(GitJson.Status(call, d, status), StatusCodes.Status201Created);
            });
        });

    /// <summary>A status body: state, description, targetUrl and context {name (required), genre}.</summary>
    public static (GitStatusData? Status, IResult? Error) ParseStatus(System.Text.Json.JsonElement body)
    {
        var context = DevOpsJson.Prop(body, "context");
        var name = context is { } c ? DevOpsJson.Str(c, "name") : null;
        if (string.IsNullOrWhiteSpace(name))
        {
            return (null, DevOpsRoutes.BadRequest("The status context name must be specified.\r\nParameter name: status.Context.Name", "ArgumentNullException"));
        }

        var stateName = DevOpsJson.Enum(body, "state", StatusStates) ?? "notSet";
        if (!StatusStates.Contains(stateName))
        {
            return (null, DevOpsRoutes.BadRequest($"The value '{stateName}' is not a valid GitStatusState."));
        }

        return (new GitStatusData
        {
            State = stateName,
            Description = DevOpsJson.Str(body, "description"),
            TargetUrl = DevOpsJson.Str(body, "targetUrl"),
            Name = name,
            Genre = DevOpsJson.Str(context!.Value, "genre"),
            IterationId = DevOpsJson.Prop(body, "iterationId") is { ValueKind: System.Text.Json.JsonValueKind.Number } it ? it.GetInt32() : null,
        }, null);
    }

    /// <summary>The route's repository and commit, or Azure DevOps' 404 for whichever of them is missing.</summary>
    public static (GitRepositoryData? Repo, GitCommitData? Commit, IResult? NotFound) RouteCommit(EmulatorData d, DevOpsCall call)
    {
        var id = call.Route("repositoryId")!;
        if (GitStore.FindRepository(d, call, id) is not { } repo)
        {
            return (null, null, GitStore.RepositoryNotFound(id));
        }

        var commitId = call.Route("commitId")!;
        return d.Commits.TryGetValue(commitId, out var commit) && commit.RepositoryId == repo.Id
            ? (repo, commit, null)
            : (repo, null, UnresolvableVersion(repo, commitId, "Commit"));
    }

    public static IResult UnresolvableVersion(GitRepositoryData repo, string version, string kind = "Branch") => DevOpsRoutes.NotFound(
        "GitUnresolvableToCommitException",
        $"TF401175: The version descriptor <{kind}: {version} > could not be resolved to a version on the repository {repo.Name}");
}

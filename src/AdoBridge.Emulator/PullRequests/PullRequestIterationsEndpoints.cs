using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Pull request iterations (list, get), what each changed (changeEntries against the merge base or against
/// another iteration with $compareTo) and their commits, and the pull request's own commits.</summary>
internal static class PullRequestIterationsEndpoints
{
    public static IResult List(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code", call => state.Read(d =>
        {
            var (repo, pr, error) = PullRequestStore.Resolve(d, call);
            return error ?? call.List(pr!.Iterations.Select((_, i) => Iteration(call, d, repo!, pr, i + 1, call.QueryBool("includeCommits"))).ToArray());
        }));

    public static IResult Get(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code", call => state.Read(d =>
        {
            var (repo, pr, error) = PullRequestStore.Resolve(d, call);
            if (error is not null)
            {
                return error;
            }

            var id = IterationId(call);
            return id < 1 || id > pr!.Iterations.Count ? IterationNotFound(id) : DevOpsJson.Ok(Iteration(call, d, repo!, pr, id, includeCommits: false));
        }));

    public static IResult Changes(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code", call => state.Read(d =>
        {
            var (_, pr, error) = PullRequestStore.Resolve(d, call);
            if (error is not null)
            {
                return error;
            }

            var id = IterationId(call);
            var compareTo = call.QueryInt("$compareTo") ?? call.QueryInt("compareTo") ?? 0;
            if (id < 1 || id > pr!.Iterations.Count)
            {
                return IterationNotFound(id);
            }

            if (compareTo < 0 || compareTo > pr.Iterations.Count)
            {
                return IterationNotFound(compareTo);
            }

            var head = pr.Iterations[id - 1];
            var changes = GitStore.Diff(d, compareTo == 0 ? Base(d, pr, head) : pr.Iterations[compareTo - 1], head);
            var tracking = TrackingIds(d, pr);
            var skip = Math.Max(0, call.QueryInt("$skip") ?? 0);
            var top = Math.Clamp(call.QueryInt("$top") ?? 100, 1, 2000);
            var page = changes.Skip(skip).Take(top).Select((c, i) => new Dictionary<string, object?>
            {
                ["changeTrackingId"] = tracking.GetValueOrDefault(c.Path),
                ["changeId"] = skip + i + 1,
                ["item"] = new Dictionary<string, object?>
                {
                    ["objectId"] = c.NewContent is null ? null : GitContent.BlobId(c.NewContent),
                    ["originalObjectId"] = c.OldContent is null ? null : GitContent.BlobId(c.OldContent),
                    ["path"] = c.Path,
                },
                ["changeType"] = c.ChangeType,
            }).ToArray();
            var more = skip + page.Length < changes.Count;
            return DevOpsJson.Ok(new Dictionary<string, object?>
            {
                ["changeEntries"] = page,
                ["nextSkip"] = more ? skip + page.Length : 0,
                ["nextTop"] = more ? top : 0,
            });
        }));

    public static IResult IterationCommits(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code", call => state.Read(d =>
        {
            var (repo, pr, error) = PullRequestStore.Resolve(d, call);
            if (error is not null)
            {
                return error;
            }

            var id = IterationId(call);
            if (id < 1 || id > pr!.Iterations.Count)
            {
                return IterationNotFound(id);
            }

            // git/7.1 names these top and skip (no $), as Microsoft's clients send them; $top/$skip are taken too.
            var commits = GitStore.Between(d, pr.Iterations[id - 1], id == 1 ? pr.LastMergeTargetCommit : pr.Iterations[id - 2]);
            var skip = Math.Max(0, call.QueryInt("skip") ?? call.QueryInt("$skip") ?? 0);
            var top = Math.Clamp(call.QueryInt("top") ?? call.QueryInt("$top") ?? 100, 1, 1000);
            return call.List(commits.Skip(skip).Take(top).Select(c => GitJson.Commit(call.OrgUrl, d, repo!, c)).ToArray());
        }));

    /// <summary>GET …/pullRequests/{id}/commits: the source branch's commits that the target does not have, paged as
    /// git/7.1 describes it ($top and continuationToken, the next token in x-ms-continuationtoken).</summary>
    public static IResult Commits(HttpContext http, EmulatorState state) =>
        DevOpsApi.Run(http, state, "vso.code", call => state.Read(d =>
        {
            var (repo, pr, error) = PullRequestStore.Resolve(d, call);
            if (error is not null)
            {
                return error;
            }

            var commits = GitStore.Between(d, pr!.LastMergeSourceCommit, pr.LastMergeTargetCommit);
            var skip = 0;
            if (call.Query("continuationToken") is { } token)
            {
                // The token is the last commit id returned: opaque to clients, and the next page starts after it.
                var at = commits.FindIndex(c => string.Equals(c.CommitId, token, StringComparison.OrdinalIgnoreCase));
                if (at < 0)
                {
                    return DevOpsErrors.Json(StatusCodes.Status400BadRequest, "InvalidContinuationTokenException", $"The continuation token '{token}' is not valid. Pass the x-ms-continuationtoken header of the previous page unchanged.");
                }

                skip = at + 1;
            }

            var page = commits.Skip(skip).Take(Math.Clamp(call.QueryInt("$top") ?? 100, 1, 1000)).ToArray();
            var next = skip + page.Length < commits.Count ? page[^1].CommitId : null;
            return call.List(page.Select(c => GitJson.Commit(call.OrgUrl, d, repo!, c)).ToArray(), next);
        }));

    private static Dictionary<string, object?> Iteration(DevOpsCall call, EmulatorData d, GitRepositoryData repo, PullRequestData pr, int id, bool includeCommits)
    {
        var commit = pr.Iterations[id - 1];
        var date = d.Commits.TryGetValue(commit, out var c) ? c.Date : pr.CreationDate;
        var push = d.Pushes.FirstOrDefault(p => p.RepositoryId == repo.Id && p.RefUpdates.Any(u => string.Equals(u.NewObjectId, commit, StringComparison.OrdinalIgnoreCase)));
        var json = new Dictionary<string, object?>
        {
            ["id"] = id,
            ["description"] = id == 1 ? pr.Title : c?.Comment,
            ["author"] = DevOpsJson.Identity(call, d, id == 1 ? pr.CreatedBy : push?.PushedBy ?? pr.CreatedBy),
            ["createdDate"] = DevOpsJson.Iso(id == 1 ? pr.CreationDate : push?.Date ?? date),
            ["updatedDate"] = DevOpsJson.Iso(id == 1 ? pr.CreationDate : push?.Date ?? date),
            ["sourceRefCommit"] = GitJson.CommitRef(call.OrgUrl, repo, commit),
            ["targetRefCommit"] = GitJson.CommitRef(call.OrgUrl, repo, pr.LastMergeTargetCommit),
            ["commonRefCommit"] = GitJson.CommitRef(call.OrgUrl, repo, Base(d, pr, commit) ?? pr.LastMergeTargetCommit),
            ["hasMoreCommits"] = false,
            ["reason"] = id == 1 ? "create" : "push",
            ["push"] = push is null ? null : new Dictionary<string, object?>
            {
                ["pushId"] = push.PushId,
                ["date"] = DevOpsJson.Iso(push.Date),
                ["pushedBy"] = DevOpsJson.Identity(call, d, push.PushedBy),
            },
            ["url"] = $"{PullRequestJson.Url(call.OrgUrl, repo, pr.Id)}/iterations/{id}",
        };
        if (includeCommits)
        {
            json["commits"] = GitStore.Between(d, commit, id == 1 ? pr.LastMergeTargetCommit : pr.Iterations[id - 2]).Select(x => GitJson.Commit(call.OrgUrl, d, repo, x)).ToArray();
        }

        return json;
    }

    /// <summary>Where the pull request's changes start: the merge base of an iteration's commit and the target.</summary>
    private static string? Base(EmulatorData d, PullRequestData pr, string commit) => GitStore.MergeBase(d, commit, pr.LastMergeTargetCommit);

    /// <summary>A file keeps one changeTrackingId across iterations: its place among every path the pull request touched.</summary>
    private static Dictionary<string, int> TrackingIds(EmulatorData d, PullRequestData pr) =>
        pr.Iterations.SelectMany(i => GitStore.Diff(d, Base(d, pr, i), i).Select(c => c.Path))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select((path, i) => (path, i)).ToDictionary(x => x.path, x => x.i + 1, StringComparer.Ordinal);

    private static int IterationId(DevOpsCall call) => int.Parse(call.Route("iterationId")!, CultureInfo.InvariantCulture);

    private static IResult IterationNotFound(int id) =>
        DevOpsRoutes.NotFound("GitPullRequestIterationNotFoundException", $"TF401178: The requested pull request iteration {id} was not found.");
}

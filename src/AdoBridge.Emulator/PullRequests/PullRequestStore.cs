using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace AdoBridge.Emulator;

/// <summary>Finding pull requests and the service's errors about them. Callers hold the state lock.</summary>
internal static class PullRequestStore
{
    public static readonly string[] Statuses = ["notSet", "active", "abandoned", "completed", "all"];

    public static IResult NotFound() => DevOpsRoutes.NotFound("GitPullRequestNotFoundException", "TF401180: The requested pull request was not found.");

    /// <summary>The repository and pull request named by the route ({repositoryId}/{pullRequestId}), or the error to return.</summary>
    public static (GitRepositoryData? Repo, PullRequestData? Pr, IResult? Error) Resolve(EmulatorData data, DevOpsCall call)
    {
        var repoId = call.Route("repositoryId")!;
        var repo = GitStore.FindRepository(data, call, repoId);
        if (repo is null)
        {
            return (null, null, GitStore.RepositoryNotFound(repoId));
        }

        var id = int.Parse(call.Route("pullRequestId")!, CultureInfo.InvariantCulture);
        var pr = data.PullRequests.FirstOrDefault(p => p.Id == id && p.RepositoryId == repo.Id);
        return pr is null ? (repo, null, NotFound()) : (repo, pr, null);
    }

    public static (PullRequestThreadData? Thread, IResult? Error) Thread(PullRequestData pr, DevOpsCall call)
    {
        var id = int.Parse(call.Route("threadId")!, CultureInfo.InvariantCulture);
        var thread = pr.Threads.FirstOrDefault(t => t.Id == id);
        return thread is null
            ? (null, DevOpsRoutes.NotFound("GitPullRequestCommentThreadNotFoundException", $"TF401181: The pull request comment thread {id} was not found."))
            : (thread, null);
    }

    /// <summary>Pull requests of the caller's organisation (and route project, if any).</summary>
    public static IEnumerable<PullRequestData> InScope(EmulatorData data, DevOpsCall call)
    {
        var project = call.RouteProject;
        var repos = data.Repositories
            .Where(r => string.Equals(r.Organization, call.Org.Name, StringComparison.OrdinalIgnoreCase) && (project is null || r.ProjectId == project.Id))
            .Select(r => r.Id)
            .ToHashSet();
        return data.PullRequests.Where(p => repos.Contains(p.RepositoryId));
    }

    /// <summary>Applies searchCriteria (status, creatorId, reviewerId, sourceRefName, targetRefName, repositoryId) and $skip/$top.</summary>
    public static IEnumerable<PullRequestData> Search(IEnumerable<PullRequestData> prs, DevOpsCall call)
    {
        var status = call.Criteria("status") ?? "active";
        if (int.TryParse(status, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 && n < Statuses.Length)
        {
            status = Statuses[n];
        }

        if (!status.Equals("all", StringComparison.OrdinalIgnoreCase))
        {
            prs = prs.Where(p => p.Status.Equals(status, StringComparison.OrdinalIgnoreCase));
        }

        if (Guid.TryParse(call.Criteria("creatorId"), out var creator))
        {
            prs = prs.Where(p => p.CreatedBy == creator);
        }

        if (Guid.TryParse(call.Criteria("reviewerId"), out var reviewer))
        {
            prs = prs.Where(p => p.Reviewers.Any(r => r.Id == reviewer));
        }

        if (call.Criteria("sourceRefName") is { } source)
        {
            prs = prs.Where(p => p.SourceRefName.Equals(GitStore.NormalizeRef(source), StringComparison.OrdinalIgnoreCase));
        }

        if (call.Criteria("targetRefName") is { } target)
        {
            prs = prs.Where(p => p.TargetRefName.Equals(GitStore.NormalizeRef(target), StringComparison.OrdinalIgnoreCase));
        }

        if (Guid.TryParse(call.Criteria("repositoryId"), out var repositoryId))
        {
            prs = prs.Where(p => p.RepositoryId == repositoryId);
        }

        return prs.OrderByDescending(p => p.Id).Skip(call.QueryInt("$skip") ?? 0).Take(call.QueryInt("$top") ?? 101);
    }

    /// <summary>Queues the test merge, as the service does when a pull request is created or either branch moves.</summary>
    public static void QueueMerge(PullRequestData pr, DateTimeOffset now)
    {
        pr.MergeStatus = "queued";
        pr.LastMergeCommit = null;
        pr.MergeQueuedAt = now;
    }

    /// <summary>Finishes a queued merge once the emulator clock has moved past the moment it was queued: the answer to the
    /// request that queued it says queued, any later read says succeeded with the merge commit.</summary>
    public static void Settle(PullRequestData pr, DateTimeOffset now)
    {
        if (pr.MergeStatus == "queued" && pr.Status == "active" && (pr.MergeQueuedAt is not { } queued || now > queued))
        {
            pr.MergeStatus = "succeeded";
            pr.LastMergeCommit = MergeCommitId(pr);
        }
    }

    public static string MergeCommitId(PullRequestData pr) => GitStore.ObjectId($"merge:{pr.Id}:{pr.LastMergeSourceCommit}:{pr.LastMergeTargetCommit}");
}

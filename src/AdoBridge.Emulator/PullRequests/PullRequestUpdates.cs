namespace AdoBridge.Emulator;

/// <summary>State changes that several endpoints share: a branch moving under open pull requests, and completion (merge).</summary>
internal static class PullRequestUpdates
{
    /// <summary>A push to a source branch adds an iteration and fires git.pullrequest.updated (PushNotification);
    /// a push to a target branch only moves the merge base.</summary>
    public static void OnBranchMoved(DevOpsCall call, EmulatorData data, GitRepositoryData repo, string refName, string newCommit)
    {
        foreach (var pr in data.PullRequests.Where(p => p.RepositoryId == repo.Id && p.Status == "active").ToArray())
        {
            if (pr.SourceRefName == refName && pr.LastMergeSourceCommit != newCommit)
            {
                var newCommits = GitStore.Between(data, newCommit, pr.LastMergeSourceCommit).Count;
                pr.LastMergeSourceCommit = newCommit;
                pr.Iterations.Add(newCommit);
                PullRequestStore.QueueMerge(pr, call.Now);
                SystemThreads.RefUpdate(data, pr, call.Caller.Id, newCommits, newCommit, call.Now);
                call.State.PublishLocked(data, GitHookEvents.PullRequest(call, data, pr, "git.pullrequest.updated", "updated the source branch of", "PushNotification"));
            }
            else if (pr.TargetRefName == refName)
            {
                pr.LastMergeTargetCommit = newCommit;
                PullRequestStore.QueueMerge(pr, call.Now);
            }
        }
    }

    /// <summary>Merges the source into the target (a push to the target branch): a merge commit with both parents, or with
    /// mergeStrategy squash or rebase one commit on the target alone; closes the pull request, optionally deletes the
    /// source branch, and fires git.pullrequest.merged, git.pullrequest.updated and git.push.</summary>
    public static void Complete(DevOpsCall call, EmulatorData data, GitRepositoryData repo, PullRequestData pr, bool deleteSourceBranch, string? mergeMessage, string? mergeStrategy = null)
    {
        var targetHead = repo.Refs.GetValueOrDefault(pr.TargetRefName) ?? pr.LastMergeTargetCommit;
        var sourceTree = GitStore.Tree(data, pr.LastMergeSourceCommit);
        var targetTree = GitStore.Tree(data, targetHead);
        var changes = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (path, content) in sourceTree.Where(f => !targetTree.TryGetValue(f.Key, out var existing) || existing != f.Value))
        {
            changes[path] = content;
        }

        var user = data.Users.FirstOrDefault(u => u.Id == call.Caller.Id);
        var merge = GitStore.AddCommit(data, repo.Id, targetHead, mergeMessage ?? $"Merged PR {pr.Id}: {pr.Title}", user, call.Now, changes);
        if (mergeStrategy is not ("squash" or "rebase"))
        {
            merge.Parents.Add(pr.LastMergeSourceCommit);
        }

        repo.Refs[pr.TargetRefName] = merge.CommitId;

        pr.Status = "completed";
        pr.MergeStatus = "succeeded";
        pr.LastMergeTargetCommit = targetHead;
        pr.LastMergeCommit = merge.CommitId;
        pr.ClosedDate = call.Now;
        pr.ClosedBy = call.Caller.Id;
        SystemThreads.Status(data, pr, call.Caller.Id, "Completed", call.Now);
        if (deleteSourceBranch)
        {
            repo.Refs.Remove(pr.SourceRefName);
        }

        var push = new GitPushData { PushId = data.NextId("push"), RepositoryId = repo.Id, PushedBy = call.Caller.Id, Date = call.Now, RefUpdates = [new GitRefUpdateData(pr.TargetRefName, targetHead, merge.CommitId)], CommitIds = [merge.CommitId] };
        data.Pushes.Add(push);
        call.State.PublishLocked(data, GitHookEvents.PullRequest(call, data, pr, "git.pullrequest.merged", "merged", mergeResult: "Succeeded"));
        call.State.PublishLocked(data, GitHookEvents.PullRequest(call, data, pr, "git.pullrequest.updated", "completed", "StatusUpdateNotification"));
        call.State.PublishLocked(data, GitHookEvents.Push(call, data, repo, push));
        OnBranchMoved(call, data, repo, pr.TargetRefName, merge.CommitId);
    }
}

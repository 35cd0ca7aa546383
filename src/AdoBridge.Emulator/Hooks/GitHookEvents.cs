namespace AdoBridge.Emulator;

/// <summary>Builds git.push, git.pullrequest.* and the pull request comment event from the stored data (caller holds the lock).</summary>
internal static class GitHookEvents
{
    public static HookEvent Push(DevOpsCall call, EmulatorData data, GitRepositoryData repo, GitPushData push)
    {
        var who = Name(data, push.PushedBy);
        var update = push.RefUpdates[0];
        var branch = update.Name.StartsWith("refs/heads/", StringComparison.Ordinal) ? update.Name["refs/heads/".Length..] : update.Name;
        var resource = GitJson.Push(call, data, repo, push, withCommits: true);
        var detail = $"{who} pushed {push.CommitIds.Count} commit{(push.CommitIds.Count == 1 ? "" : "s")} to branch {branch} of repository {repo.Name}.";
        return new HookEvent(
            "git.push",
            call.Org.Name,
            call.Org.Id,
            repo.ProjectId,
            call.OrgUrl,
            new HookMessage($"{who} pushed updates to branch {branch} of repository {repo.Name}.", $"{who} pushed updates to branch {branch} of repository {repo.Name}.", $"{who} pushed updates to branch `{branch}` of repository `{repo.Name}`."),
            HookMessage.Plain(detail),
            resource)
        {
            Filters = { ["repository"] = repo.Id.ToString(), ["branch"] = update.Name, ["pushedBy"] = push.PushedBy.ToString() },
        };
    }

    /// <summary>git.pullrequest.created / .updated (with notificationType) / .merged (with mergeResult).</summary>
    public static HookEvent PullRequest(DevOpsCall call, EmulatorData data, PullRequestData pr, string eventType, string action, string? notificationType = null, string? mergeResult = null)
    {
        var repo = data.Repositories.First(r => r.Id == pr.RepositoryId);
        var who = Name(data, call.Caller.Id);
        var text = eventType == "git.pullrequest.created"
            ? $"{who} created a new pull request"
            : $"{who} {action} pull request {pr.Id} ({pr.Title}) in {repo.Name}";
        var mergeLine = pr.LastMergeCommit is { } merge ? $"\r\n- Merge commit: {merge[..6]}({GitJson.RepoUrl(call.OrgUrl, repo)}/commits/{merge})" : string.Empty;
        var detailed = $"{text}\r\n\r\n- Merge status: {Capitalize(pr.MergeStatus)}{mergeLine}\r\n";
        var resource = PullRequestJson.PullRequest(call, data, pr);
        var remote = resource["repository"] is Dictionary<string, object?> r ? r["remoteUrl"] : null;
        resource["_links"] = new Dictionary<string, object> { ["web"] = DevOpsJson.Href($"{remote}/pullrequest/{pr.Id}"), ["statuses"] = DevOpsJson.Href($"{resource["url"]}/statuses") };
        return new HookEvent(eventType, call.Org.Name, call.Org.Id, repo.ProjectId, call.OrgUrl, HookMessage.Plain(text), new HookMessage(detailed, detailed.Replace("\r\n- ", "</br>\r\n- ", StringComparison.Ordinal), detailed.Replace("\r\n- ", "\r\n+ ", StringComparison.Ordinal)), resource)
        {
            Filters =
            {
                ["repository"] = repo.Id.ToString(),
                ["branch"] = pr.TargetRefName,
                ["notificationType"] = notificationType,
                ["mergeResult"] = mergeResult,
                ["pullrequestCreatedBy"] = pr.CreatedBy.ToString(),
                ["pullrequestReviewersContains"] = string.Join(',', pr.Reviewers.Select(r => r.Id)),
            },
        };
    }

    /// <summary>ms.vss-code.git-pullrequest-comment-event, resource version 2.0: {comment, pullRequest}.</summary>
    public static HookEvent Comment(DevOpsCall call, EmulatorData data, PullRequestData pr, PullRequestThreadData thread, PullRequestCommentData comment, bool edited)
    {
        var repo = data.Repositories.First(r => r.Id == pr.RepositoryId);
        var who = Name(data, comment.Author);
        var threadUrl = $"{PullRequestJson.Url(call.OrgUrl, repo, pr.Id)}/threads/{thread.Id}";
        var text = $"{who} has {(edited ? "edited" : comment.ParentCommentId > 0 ? "replied to" : "commented on")} a pull request";
        var resource = new Dictionary<string, object?>
        {
            ["comment"] = PullRequestJson.Comment(call, data, threadUrl, comment),
            ["pullRequest"] = PullRequestJson.PullRequest(call, data, pr),
        };
        return new HookEvent("ms.vss-code.git-pullrequest-comment-event", call.Org.Name, call.Org.Id, repo.ProjectId, call.OrgUrl, HookMessage.Plain(text), HookMessage.Plain($"{text}\r\n{comment.Content}"), resource, "2.0")
        {
            Filters = { ["repository"] = repo.Id.ToString(), ["branch"] = pr.TargetRefName },
        };
    }

    public static string Name(EmulatorData data, Guid id) => data.Users.FirstOrDefault(u => u.Id == id)?.DisplayName ?? id.ToString();

    private static string Capitalize(string value) => value.Length == 0 ? value : char.ToUpperInvariant(value[0]) + value[1..];
}

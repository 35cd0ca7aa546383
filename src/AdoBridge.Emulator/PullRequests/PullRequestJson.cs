namespace AdoBridge.Emulator;

/// <summary>Pull requests, reviewers, threads and comments in the service's JSON shape.</summary>
internal static class PullRequestJson
{
    public static string Url(string orgUrl, GitRepositoryData repo, int id) => $"{GitJson.RepoUrl(orgUrl, repo)}/pullRequests/{id}";

    public static Dictionary<string, object?> PullRequest(DevOpsCall call, EmulatorData data, PullRequestData pr, bool links = false)
    {
        PullRequestStore.Settle(pr, call.Now);
        var repo = data.Repositories.First(r => r.Id == pr.RepositoryId);
        var orgUrl = call.OrgUrl;
        var project = call.FindProject(repo.ProjectId);
        var url = Url(orgUrl, repo, pr.Id);
        var json = new Dictionary<string, object?>
        {
            ["repository"] = new Dictionary<string, object?>
            {
                ["id"] = repo.Id,
                ["name"] = repo.Name,
                ["url"] = GitJson.RepoUrl(orgUrl, repo),
                ["project"] = project is null ? null : GitJson.ProjectRef(orgUrl, project),
                ["remoteUrl"] = $"{orgUrl}/{Uri.EscapeDataString(project?.Name ?? repo.ProjectId.ToString())}/_git/{Uri.EscapeDataString(repo.Name)}",
            },
            ["pullRequestId"] = pr.Id,
            ["codeReviewId"] = pr.Id,
            ["status"] = pr.Status,
            ["createdBy"] = DevOpsJson.Identity(call, data, pr.CreatedBy),
            ["creationDate"] = DevOpsJson.Iso(pr.CreationDate),
            ["closedDate"] = pr.ClosedDate is { } closed ? DevOpsJson.Iso(closed) : null,
            ["closedBy"] = pr.ClosedBy is { } closer ? DevOpsJson.Identity(call, data, closer) : null,
            ["title"] = pr.Title,
            ["description"] = pr.Description,
            ["sourceRefName"] = pr.SourceRefName,
            ["targetRefName"] = pr.TargetRefName,
            ["mergeStatus"] = pr.MergeStatus,
            ["isDraft"] = pr.IsDraft,
            ["mergeId"] = pr.MergeId,
            ["lastMergeSourceCommit"] = GitJson.CommitRef(orgUrl, repo, pr.LastMergeSourceCommit),
            ["lastMergeTargetCommit"] = GitJson.CommitRef(orgUrl, repo, pr.LastMergeTargetCommit),
            ["lastMergeCommit"] = pr.LastMergeCommit is { } merge ? GitJson.CommitRef(orgUrl, repo, merge) : null,
            ["reviewers"] = pr.Reviewers.Select(r => Reviewer(call, data, repo, pr, r)).ToArray(),
            ["labels"] = pr.Labels.Count == 0 ? null : pr.Labels.Select(l => new Dictionary<string, object?> { ["id"] = Secrets.StableGuid("label:" + l), ["name"] = l, ["active"] = true }).ToArray(),
            ["url"] = url,
            ["supportsIterations"] = true,
            ["autoCompleteSetBy"] = pr.AutoCompleteSetBy is { } setBy ? DevOpsJson.Identity(call, data, setBy) : null,
            ["completionOptions"] = pr.CompletionOptions,
            ["artifactId"] = PullRequestWorkItems.ArtifactId(repo, pr),
        };
        if (links)
        {
            json["_links"] = new Dictionary<string, object>
            {
                ["self"] = DevOpsJson.Href(url),
                ["repository"] = DevOpsJson.Href(GitJson.RepoUrl(orgUrl, repo)),
                ["workItems"] = DevOpsJson.Href($"{url}/workitems"),
                ["sourceBranch"] = DevOpsJson.Href($"{GitJson.RepoUrl(orgUrl, repo)}/refs/{pr.SourceRefName["refs/".Length..]}"),
                ["targetBranch"] = DevOpsJson.Href($"{GitJson.RepoUrl(orgUrl, repo)}/refs/{pr.TargetRefName["refs/".Length..]}"),
                ["statuses"] = DevOpsJson.Href($"{url}/statuses"),
                ["sourceCommit"] = DevOpsJson.Href($"{GitJson.RepoUrl(orgUrl, repo)}/commits/{pr.LastMergeSourceCommit}"),
                ["targetCommit"] = DevOpsJson.Href($"{GitJson.RepoUrl(orgUrl, repo)}/commits/{pr.LastMergeTargetCommit}"),
                ["createdBy"] = DevOpsJson.Href($"{EmulatorUrls.Vssps(call.Http, call.Org.Name)}/_apis/Identities/{pr.CreatedBy}"),
                ["iterations"] = DevOpsJson.Href($"{url}/iterations"),
            };
        }

        return json;
    }

    public static Dictionary<string, object?> Reviewer(DevOpsCall call, EmulatorData data, GitRepositoryData repo, PullRequestData pr, PullRequestReviewerData reviewer)
    {
        var json = new Dictionary<string, object?>
        {
            ["reviewerUrl"] = $"{Url(call.OrgUrl, repo, pr.Id)}/reviewers/{reviewer.Id}",
            ["vote"] = reviewer.Vote,
            ["hasDeclined"] = reviewer.HasDeclined,
            ["isRequired"] = reviewer.IsRequired ? true : null,
            ["isFlagged"] = reviewer.IsFlagged,
        };
        foreach (var (key, value) in DevOpsJson.Identity(call, data, reviewer.Id))
        {
            json[key] = value;
        }

        return json;
    }

    public static Dictionary<string, object?> Thread(DevOpsCall call, EmulatorData data, GitRepositoryData repo, PullRequestData pr, PullRequestThreadData thread)
    {
        var url = $"{Url(call.OrgUrl, repo, pr.Id)}/threads/{thread.Id}";
        return new Dictionary<string, object?>
        {
            ["pullRequestThreadContext"] = null,
            ["id"] = thread.Id,
            ["publishedDate"] = DevOpsJson.Iso(thread.PublishedDate),
            ["lastUpdatedDate"] = DevOpsJson.Iso(thread.LastUpdatedDate),
            ["comments"] = thread.Comments.Select(c => Comment(call, data, url, c)).ToArray(),
            ["status"] = thread.Status,
            ["threadContext"] = thread.ThreadContext,
            ["properties"] = thread.Properties,
            ["identities"] = thread.Identities?.ToDictionary(i => i.Key, i => (object?)DevOpsJson.Identity(call, data, i.Value)),
            ["isDeleted"] = thread.IsDeleted,
            ["_links"] = new Dictionary<string, object>
            {
                ["self"] = DevOpsJson.Href(url),
                ["repository"] = DevOpsJson.Href(GitJson.RepoUrl(call.OrgUrl, repo)),
            },
        };
    }

    public static Dictionary<string, object?> Comment(DevOpsCall call, EmulatorData data, string threadUrl, PullRequestCommentData comment)
    {
        var url = $"{threadUrl}/comments/{comment.Id}";
        return new Dictionary<string, object?>
        {
            ["id"] = comment.Id,
            ["parentCommentId"] = comment.ParentCommentId,
            ["author"] = DevOpsJson.Identity(call, data, comment.Author),
            ["content"] = comment.Content,
            ["publishedDate"] = DevOpsJson.Iso(comment.PublishedDate),
            ["lastUpdatedDate"] = DevOpsJson.Iso(comment.LastUpdatedDate),
            ["lastContentUpdatedDate"] = DevOpsJson.Iso(comment.LastContentUpdatedDate),
            ["isDeleted"] = comment.IsDeleted ? true : null,
            ["commentType"] = comment.CommentType,
            ["usersLiked"] = comment.UsersLiked.Select(u => DevOpsJson.Identity(call, data, u)).ToArray(),
            ["_links"] = new Dictionary<string, object>
            {
                ["self"] = DevOpsJson.Href(url),
                ["repository"] = DevOpsJson.Href(threadUrl[..threadUrl.IndexOf("/pullRequests/", StringComparison.Ordinal)]),
                ["threads"] = DevOpsJson.Href(threadUrl),
            },
        };
    }
}

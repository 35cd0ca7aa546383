namespace AdoBridge.Emulator;

/// <summary>Git resources in the service's JSON shape, with every URL built from the caller's base URL.</summary>
internal static class GitJson
{
    public static string RepoUrl(string orgUrl, GitRepositoryData repo) => $"{orgUrl}/{repo.ProjectId}/_apis/git/repositories/{repo.Id}";

    public static Dictionary<string, object?> ProjectRef(string orgUrl, EmulatorProject project) => new()
    {
        ["id"] = project.Id,
        ["name"] = project.Name,
        ["description"] = project.Description,
        ["url"] = $"{orgUrl}/_apis/projects/{project.Id}",
        ["state"] = "wellFormed",
        ["revision"] = project.Revision,
        ["visibility"] = project.Visibility,
        ["lastUpdateTime"] = DevOpsJson.Iso(project.LastUpdateTime),
    };

    public static Dictionary<string, object?> Repository(string orgUrl, EmulatorOrganization org, GitRepositoryData repo, EmulatorData data)
    {
        var project = org.Projects.FirstOrDefault(p => p.Id == repo.ProjectId);
        var projectName = Uri.EscapeDataString(project?.Name ?? repo.ProjectId.ToString());
        var web = $"{orgUrl}/{projectName}/_git/{Uri.EscapeDataString(repo.Name)}";
        var size = repo.Refs.TryGetValue(repo.DefaultBranch, out var head) ? GitStore.Tree(data, head).Values.Sum(v => (long)v.Length) : 0L;
        return new Dictionary<string, object?>
        {
            ["id"] = repo.Id,
            ["name"] = repo.Name,
            ["url"] = RepoUrl(orgUrl, repo),
            ["project"] = project is null ? null : ProjectRef(orgUrl, project),
            ["defaultBranch"] = repo.DefaultBranch,
            ["size"] = size,
            ["remoteUrl"] = web,
            ["sshUrl"] = $"git@ssh.dev.azure.com:v3/{org.Name}/{projectName}/{Uri.EscapeDataString(repo.Name)}",
            ["webUrl"] = web,
            ["isDisabled"] = false,
            ["isInMaintenance"] = false,
        };
    }

    public static Dictionary<string, object?> Ref(DevOpsCall call, EmulatorData data, GitRepositoryData repo, string name, string objectId) => new()
    {
        ["name"] = name,
        ["objectId"] = objectId,
        ["creator"] = DevOpsJson.Identity(call, data, repo.RefCreators.GetValueOrDefault(name, Guid.Parse(EmulatorDefaults.AliceId))),
        ["url"] = $"{RepoUrl(call.OrgUrl, repo)}/refs?filter={Uri.EscapeDataString(name["refs/".Length..])}",
    };

    public static Dictionary<string, object?> Commit(string orgUrl, EmulatorData data, GitRepositoryData repo, GitCommitData commit, bool full = false)
    {
        var signature = new Dictionary<string, object?> { ["name"] = commit.AuthorName, ["email"] = commit.AuthorEmail, ["date"] = DevOpsJson.Iso(commit.Date) };
        var counts = GitStore.ChangeCounts(data, commit);
        var url = $"{RepoUrl(orgUrl, repo)}/commits/{commit.CommitId}";
        var json = new Dictionary<string, object?>
        {
            ["commitId"] = commit.CommitId,
            ["author"] = signature,
            ["committer"] = signature,
            ["comment"] = commit.Comment,
            ["changeCounts"] = new Dictionary<string, int> { ["Add"] = counts.Add, ["Edit"] = counts.Edit, ["Delete"] = counts.Delete },
            ["url"] = url,
            ["remoteUrl"] = $"{orgUrl}/{repo.ProjectId}/_git/{Uri.EscapeDataString(repo.Name)}/commit/{commit.CommitId}",
        };
        if (full)
        {
            json["parents"] = commit.Parents.ToArray();
            json["treeId"] = GitStore.ObjectId("tree:" + commit.CommitId);
            json["_links"] = new Dictionary<string, object>
            {
                ["self"] = DevOpsJson.Href(url),
                ["repository"] = DevOpsJson.Href(RepoUrl(orgUrl, repo)),
                ["changes"] = DevOpsJson.Href($"{url}/changes"),
                ["web"] = DevOpsJson.Href((string)json["remoteUrl"]!),
                ["tree"] = DevOpsJson.Href($"{RepoUrl(orgUrl, repo)}/trees/{json["treeId"]}"),
            };
        }

        return json;
    }

    public static Dictionary<string, object?> CommitRef(string orgUrl, GitRepositoryData repo, string commitId) => new()
    {
        ["commitId"] = commitId,
        ["url"] = $"{RepoUrl(orgUrl, repo)}/commits/{commitId}",
    };

    public static Dictionary<string, object?> Push(DevOpsCall call, EmulatorData data, GitRepositoryData repo, GitPushData push, bool withCommits)
    {
        var url = $"{RepoUrl(call.OrgUrl, repo)}/pushes/{push.PushId}";
        var json = new Dictionary<string, object?>
        {
            ["pushId"] = push.PushId,
            ["date"] = DevOpsJson.Iso(push.Date),
            ["pushedBy"] = DevOpsJson.Identity(call, data, push.PushedBy),
            ["url"] = url,
            ["refUpdates"] = push.RefUpdates.Select(u => new Dictionary<string, object?> { ["repositoryId"] = repo.Id, ["name"] = u.Name, ["oldObjectId"] = u.OldObjectId, ["newObjectId"] = u.NewObjectId }).ToArray(),
            ["repository"] = Repository(call.OrgUrl, call.Org, repo, data),
            ["_links"] = new Dictionary<string, object>
            {
                ["self"] = DevOpsJson.Href(url),
                ["repository"] = DevOpsJson.Href(RepoUrl(call.OrgUrl, repo)),
                ["commits"] = DevOpsJson.Href($"{url}/commits"),
                ["pusher"] = DevOpsJson.Href($"{EmulatorUrls.Vssps(call.Http, call.Org.Name)}/_apis/Identities/{push.PushedBy}"),
            },
        };
        if (withCommits)
        {
            json["commits"] = push.CommitIds.Where(data.Commits.ContainsKey).Select(id => Commit(call.OrgUrl, data, repo, data.Commits[id])).ToArray();
        }

        return json;
    }

    public static Dictionary<string, object?> Status(DevOpsCall call, EmulatorData data, GitStatusData status) => new()
    {
        ["id"] = status.Id,
        ["state"] = status.State,
        ["description"] = status.Description,
        ["context"] = new Dictionary<string, object?> { ["name"] = status.Name, ["genre"] = status.Genre },
        ["creationDate"] = DevOpsJson.Iso(status.CreationDate),
        ["updatedDate"] = DevOpsJson.Iso(status.CreationDate),
        ["createdBy"] = DevOpsJson.Identity(call, data, status.CreatedBy),
        ["targetUrl"] = status.TargetUrl,
        ["iterationId"] = status.IterationId,
        ["url"] = status.CommitId is { } c
            ? $"{call.OrgUrl}/_apis/git/repositories/{status.RepositoryId}/commits/{c}/statuses/{status.Id}"
            : $"{call.OrgUrl}/_apis/git/repositories/{status.RepositoryId}/pullRequests/{status.PullRequestId}/statuses/{status.Id}",
    };
}

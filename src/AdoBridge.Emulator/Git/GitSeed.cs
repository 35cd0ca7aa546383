namespace AdoBridge.Emulator;

/// <summary>Seeds repository Fabrikam-Fiber-Git (main and feature branches, a few commits) with two open pull requests
/// that have reviewers and a comment thread, in the spirit of Microsoft's samples.</summary>
internal static class GitSeed
{
    public static void Apply(EmulatorData data, EmulatorOrganization org, DateTimeOffset now)
    {
        var alice = data.Users.First(u => u.Id == Guid.Parse(EmulatorDefaults.AliceId));
        var bob = data.Users.First(u => u.Id == Guid.Parse(EmulatorDefaults.BobId));
        var project = org.Projects.First(p => p.Name == EmulatorDefaults.Project);
        var repo = new GitRepositoryData { Id = Guid.Parse(EmulatorDefaults.RepositoryId), Organization = org.Name, ProjectId = project.Id, Name = EmulatorDefaults.Repository };
        data.Repositories.Add(repo);
        var web = new GitRepositoryData { Id = Secrets.StableGuid("repo:fabrikam:Fabrikam-Fiber-Web"), Organization = org.Name, ProjectId = project.Id, Name = "Fabrikam-Fiber-Web" };
        data.Repositories.Add(web);

        var t = now.AddDays(-10);
        var c1 = GitStore.AddCommit(data, repo.Id, null, "Initial commit", alice, t, new Dictionary<string, string?>
        {
            ["/README.md"] = "# Fabrikam Fiber\n\nCustomer service for Fabrikam Fiber.\n",
            ["/src/app.js"] = "console.log('Fabrikam Fiber');\n",
            ["/web.config"] = "<configuration>\n</configuration>\n",
        });
        var c2 = GitStore.AddCommit(data, repo.Id, c1.CommitId, "Fixed bug in web.config file", bob, t.AddDays(1), new Dictionary<string, string?> { ["/web.config"] = "<configuration>\n  <appSettings />\n</configuration>\n" });
        var c3 = GitStore.AddCommit(data, repo.Id, c2.CommitId, "Add azure-pipelines.yml", alice, t.AddDays(2), new Dictionary<string, string?> { ["/azure-pipelines.yml"] = "trigger:\n- main\npool:\n  vmImage: ubuntu-latest\nsteps:\n- script: echo Building Fabrikam Fiber\n" });
        var login = GitStore.AddCommit(data, repo.Id, c3.CommitId, "Add sign-in page", alice, t.AddDays(3), new Dictionary<string, string?> { ["/src/login.js"] = "export function signIn(user) { return user; }\n" });
        var search = GitStore.AddCommit(data, repo.Id, c3.CommitId, "Search tickets by customer", bob, t.AddDays(4), new Dictionary<string, string?> { ["/src/search.js"] = "export const search = q => [];\n" });
        var typo = GitStore.AddCommit(data, repo.Id, c3.CommitId, "Fix typo in README", bob, t.AddDays(5), new Dictionary<string, string?> { ["/README.md"] = "# Fabrikam Fiber\n\nCustomer service for Fabrikam Fiber, Inc.\n" });
        repo.Refs["refs/heads/main"] = c3.CommitId;
        repo.Refs["refs/heads/feature/login"] = login.CommitId;
        repo.Refs["refs/heads/feature/search"] = search.CommitId;
        repo.Refs["refs/heads/users/bob/readme-typo"] = typo.CommitId;
        repo.Refs["refs/tags/v1.0"] = c2.CommitId;
        foreach (var name in repo.Refs.Keys)
        {
            repo.RefCreators[name] = name.Contains("search", StringComparison.Ordinal) || name.Contains("bob", StringComparison.Ordinal) ? bob.Id : alice.Id;
        }

        var webInit = GitStore.AddCommit(data, web.Id, null, "Initial commit", alice, t, new Dictionary<string, string?> { ["/index.html"] = "<h1>Fabrikam</h1>\n" });
        web.Refs["refs/heads/main"] = webInit.CommitId;
        web.RefCreators["refs/heads/main"] = alice.Id;

        data.PullRequests.Add(Pr(data, 1, repo, alice, bob, "Add sign-in page", "refs/heads/feature/login", login.CommitId, c3.CommitId, now.AddDays(-4), 0, "Please review the sign-in flow."));
        data.PullRequests.Add(Pr(data, 2, repo, bob, alice, "Search tickets by customer", "refs/heads/feature/search", search.CommitId, c3.CommitId, now.AddDays(-3), 5, "Looks good; consider paging."));
        data.Sequences["pullRequest"] = 2;
    }

    private static PullRequestData Pr(EmulatorData data, int id, GitRepositoryData repo, EmulatorUser author, EmulatorUser reviewer, string title, string source, string sourceCommit, string targetCommit, DateTimeOffset created, int vote, string comment)
    {
        var pr = new PullRequestData
        {
            Id = id,
            RepositoryId = repo.Id,
            CreatedBy = author.Id,
            CreationDate = created,
            Title = title,
            Description = $"{title}.\r\n",
            SourceRefName = source,
            TargetRefName = "refs/heads/main",
            MergeId = Secrets.StableGuid($"merge:{id}"),
            LastMergeSourceCommit = sourceCommit,
            LastMergeTargetCommit = targetCommit,
            Iterations = [sourceCommit],
            Reviewers = [new PullRequestReviewerData { Id = reviewer.Id, Vote = vote }],
        };
        pr.LastMergeCommit = PullRequestStore.MergeCommitId(pr);
        var threadId = data.NextId("thread");
        pr.Threads.Add(new PullRequestThreadData
        {
            Id = threadId,
            PublishedDate = created.AddHours(1),
            LastUpdatedDate = created.AddHours(2),
            Status = "active",
            Comments =
            [
                new PullRequestCommentData { Id = 1, Author = reviewer.Id, Content = comment, PublishedDate = created.AddHours(1), LastUpdatedDate = created.AddHours(1), LastContentUpdatedDate = created.AddHours(1) },
                new PullRequestCommentData { Id = 2, ParentCommentId = 1, Author = author.Id, Content = "Thanks, on it.", PublishedDate = created.AddHours(2), LastUpdatedDate = created.AddHours(2), LastContentUpdatedDate = created.AddHours(2) },
            ],
        });
        return pr;
    }
}

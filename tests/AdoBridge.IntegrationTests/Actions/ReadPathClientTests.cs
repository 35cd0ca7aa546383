using System.Net;
using System.Net.Http.Json;
using AdoBridge.Client;
using AdoBridge.IntegrationTests.Client;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Actions;

/// <summary>The .NET client's read-path actions against a sandbox AdoBridge and its emulator.</summary>
public sealed class ReadPathClientTests(ActionsFixture fixture) : IClassFixture<ActionsFixture>
{
    private static readonly ProjectRef Project = new("fabrikam", ActionsFixture.Project);
    private static readonly RepositoryRef Repo = new("fabrikam", ActionsFixture.Project, ActionsFixture.Repository);

    private ConnectionActions Actions => fixture.Server.BridgeClient().Actions(fixture.ConnectionId);

    [Fact]
    public async Task ChangedFilesCommitsWorkItemsPoliciesAndFiles()
    {
        var (pullRequestId, second) = await PullRequestAsync();

        var changes = await Actions.PullRequests.GetChangedFilesAsync(Repo, pullRequestId, new ChangedFilesQuery { Diff = true });
        var sinceFirst = await Actions.PullRequests.GetChangedFilesAsync(Repo, pullRequestId, new ChangedFilesQuery { Iteration = 2, CompareTo = 1 });
        var commits = await Actions.PullRequests.ListCommitsAsync(Repo, pullRequestId);
        var workItems = await Actions.PullRequests.ListWorkItemsAsync(Repo, pullRequestId);
        var policies = await Actions.PullRequests.ListPolicyEvaluationsAsync(Repo, pullRequestId);
        var file = await Actions.GetFileAsync(Repo, "/docs/client.md", second, "commit");
        var missing = await Should.ThrowAsync<AdoBridgeApiException>(() => Actions.GetFileAsync(Repo, "/docs/none.md", "main"));

        changes.Iteration.ShouldBe(2);
        changes.Files.Select(f => (f.Path, f.ChangeType)).ShouldBe([("/docs/client.md", "add")]);
        changes.Files[0].Diff.ShouldBe("--- /dev/null\n+++ b/docs/client.md\n@@ -0,0 +1,2 @@\n+one\n+two\n");
        sinceFirst.Files.Single().ChangeType.ShouldBe("edit");
        sinceFirst.Files.Single().Diff.ShouldBeNull();
        commits.Items.Count.ShouldBe(2);
        commits.Items[0].GetProperty("commitId").GetString().ShouldBe(second);
        workItems.Items.Select(w => w.GetProperty("id").GetString()).ShouldBe(["3"]);
        policies.Items.Select(p => p.GetProperty("status").GetString()).ShouldContain("approved");
        file.Content.ShouldBe("one\ntwo\n");
        file.Binary.ShouldBeFalse();
        missing.Code.ShouldBe("azure_devops_error");
    }

    [Fact]
    public async Task IdentitiesUpdatesTypesAndBuilds()
    {
        var identities = await Actions.SearchIdentitiesAsync("fabrikam", "bob@fabrikam.onmicrosoft.com", "mail");
        var updates = await Actions.WorkItems.ListUpdatesAsync("fabrikam", 1);
        var types = await Actions.WorkItems.ListTypesAsync(Project);
        var definitions = await Actions.Builds.ListDefinitionsAsync(Project, "Fabrikam-Fiber-CI");
        var queued = await Actions.Builds.QueueAsync(Project, new QueueBuildRequest(1) { Branch = "main", Parameters = new Dictionary<string, string> { ["configuration"] = "debug" } });
        var buildId = queued.GetProperty("id").GetInt32();
        var got = await Actions.Builds.GetAsync(Project, buildId);
        var listed = await Actions.Builds.ListAsync(Project, new BuildQuery { DefinitionId = 1, Branch = "main" });
        var logs = await Actions.Builds.ListLogsAsync(Project, buildId);
        var lines = await Actions.Builds.GetLogLinesAsync(Project, buildId, 1, startLine: 1, endLine: 1);

        identities.Items.Single().GetProperty("id").GetString().ShouldBe(ActionsTestData.BobId);
        updates.Items.ShouldNotBeEmpty();
        updates.Items[0].GetProperty("rev").GetInt32().ShouldBe(1);
        types.Items.Select(t => t.GetProperty("name").GetString()).ShouldContain("User Story");
        definitions.Items.Single().GetProperty("id").GetInt32().ShouldBe(1);
        queued.GetProperty("status").GetString().ShouldBe("notStarted");
        got.GetProperty("sourceBranch").GetString().ShouldBe("refs/heads/main");
        listed.Items.Select(b => b.GetProperty("id").GetInt32()).ShouldContain(buildId);
        logs.Items.Count.ShouldBeGreaterThan(0);
        lines.Single().ShouldContain("Starting: Initialize job");
    }

    [Fact]
    public async Task Builds_PageWithTheContinuationToken()
    {
        await Actions.Builds.QueueAsync(Project, new QueueBuildRequest(1) { Branch = "main" });
        await Actions.Builds.QueueAsync(Project, new QueueBuildRequest(1) { Branch = "main" });

        var first = await Actions.Builds.ListAsync(Project, new BuildQuery { DefinitionId = 1, Top = 1 });
        var second = await Actions.Builds.ListAsync(Project, new BuildQuery { DefinitionId = 1, Top = 1, ContinuationToken = first.ContinuationToken });

        first.Items.Count.ShouldBe(1);
        first.ContinuationToken.ShouldNotBeNull();
        second.Items.Count.ShouldBe(1);
        second.Items[0].GetProperty("id").GetInt32().ShouldNotBe(first.Items[0].GetProperty("id").GetInt32());
    }

    private async Task<(int PullRequestId, string Second)> PullRequestAsync()
    {
        using var api = fixture.Server.Client();
        var proxy = $"/v1/proxy/{fixture.ConnectionId}/fabrikam/{ActionsFixture.Project}/_apis/git/repositories/{ActionsFixture.Repository}";
        var branch = "refs/heads/client/" + Guid.NewGuid().ToString("N")[..8];
        async Task<string> PushAsync(string old, string content, string type)
        {
            var push = await (await api.PostAsJsonAsync($"{proxy}/pushes?api-version=7.1", new
            {
                refUpdates = new[] { new { name = branch, oldObjectId = old } },
                commits = new[] { new { comment = "Client change", changes = new[] { new { changeType = type, item = new { path = "/docs/client.md" }, newContent = new { content, contentType = "rawtext" } } } } },
            })).ShouldBeJsonAsync(HttpStatusCode.Created);
            return push.GetProperty("commits")[0].GetProperty("commitId").GetString()!;
        }

        var first = await PushAsync(new string('0', 40), "one\n", "add");
        var pr = await (await api.PostAsJsonAsync($"{proxy}/pullrequests?api-version=7.1", new { sourceRefName = branch, targetRefName = "refs/heads/main", title = "Client", workItemRefs = new[] { new { id = "3" } } })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var second = await PushAsync(first, "one\ntwo\n", "edit");
        return (pr.GetProperty("pullRequestId").GetInt32(), second);
    }
}

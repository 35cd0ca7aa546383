using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.Client;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Client;

/// <summary>The client's typed actions and proxy helper against a real sandbox AdoBridge and its emulator.</summary>
[Collection(ClientTestsCollection.Name)]
public sealed class ActionsClientTests(SandboxServerFixture fixture) : IAsyncLifetime
{
    private const string AliceId = "a11ce5e5-0000-4000-8000-000000000001";
    private const string BobId = "b0b0b0b0-0000-4000-8000-000000000002";
    private static readonly ProjectRef Project = new("fabrikam", "Fabrikam-Fiber-Git");
    private static readonly RepositoryRef Repo = new("fabrikam", "Fabrikam-Fiber-Git", "Fabrikam-Fiber-Git");

    private string connectionId = string.Empty;

    private AdoBridgeServer Server => fixture.Server;

    private ConnectionActions Actions => Server.BridgeClient().Actions(connectionId);

    public async Task InitializeAsync() => connectionId = await Server.ConnectWithMicrosoftAsync("client-actions-" + Guid.NewGuid().ToString("N")[..6]);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task OrganisationsProjectsRepositoriesAndBranches()
    {
        var organizations = await Actions.ListOrganizationsAsync();
        var projects = await Actions.ListAllProjectsAsync("fabrikam", pageSize: 1).ToListAsync();
        var repositories = await Actions.ListRepositoriesAsync(Project);
        var branches = await Actions.ListBranchesAsync(Repo, new PageRequest { Top = 100 });

        organizations.ShouldHaveSingleItem().ShouldBe(new AzureDevOpsOrganization("fabrikam", "https://dev.azure.com/fabrikam"));
        var names = projects.Select(p => p.GetProperty("name").GetString()).ToList();
        names.ShouldContain("Fabrikam-Fiber-Git");
        names.ShouldContain("Fabrikam-Fiber-TFVC");
        names.Distinct().Count().ShouldBe(names.Count);
        repositories.Items.Select(r => r.GetProperty("name").GetString()).ShouldContain(Repo.Repository);
        branches.Items.Select(b => b.GetProperty("name").GetString()).ShouldContain("refs/heads/main");
    }

    [Fact]
    public async Task PullRequest_FromCreateThroughReviewToCompletion()
    {
        var branch = await NewBranchThroughProxyAsync();
        var prs = Actions.PullRequests;

        var created = await prs.CreateAsync(Repo, new CreatePullRequestRequest { SourceRef = branch, TargetRef = "main", Title = "Client test", IsDraft = true });
        var id = created.GetProperty("pullRequestId").GetInt32();
        var updated = await prs.UpdateAsync(Repo, id, new UpdatePullRequestRequest { Title = "Client test, ready", IsDraft = false });
        await prs.AddReviewerAsync(Repo, id, BobId, isRequired: true);
        var vote = await prs.VoteAsync(Repo, id, PullRequestVote.ApproveWithSuggestions);
        var reviewers = await prs.ListReviewersAsync(Repo, id);
        var thread = await prs.CreateThreadAsync(Repo, id, new CreateThreadRequest { Content = "Nit: naming.", FilePath = "README.md", Line = 1 });
        var threadId = thread.GetProperty("id").GetInt32();
        await prs.ReplyAsync(Repo, id, threadId, "Renamed.");
        var resolved = await prs.SetThreadStatusAsync(Repo, id, threadId, ThreadStatus.Fixed);
        var status = await prs.PostStatusAsync(Repo, id, new PostStatusRequest { State = "succeeded", ContextName = "lint", ContextGenre = "client-test" });
        var completed = await prs.UpdateAsync(Repo, id, new UpdatePullRequestRequest
        {
            Status = PullRequestStatus.Completed,
            CompletionOptions = new CompletionOptions { MergeStrategy = MergeStrategies.Squash, DeleteSourceBranch = true },
        });
        var threads = await prs.ListThreadsAsync(Repo, id);
        var fetched = await prs.GetAsync(Repo, id);
        var listed = await prs.ListAsync(Repo, new PullRequestQuery { Status = "completed", SourceRef = branch });

        updated.GetProperty("isDraft").GetBoolean().ShouldBeFalse();
        vote.GetProperty("id").GetString().ShouldBe(AliceId);
        vote.GetProperty("vote").GetInt32().ShouldBe(5);
        reviewers.Items.Single(r => r.GetProperty("id").GetString() == BobId).GetProperty("isRequired").GetBoolean().ShouldBeTrue();
        resolved.GetProperty("status").GetString().ShouldBe("fixed");
        threads.Items.Single(t => t.GetProperty("id").GetInt32() == threadId).GetProperty("comments").GetArrayLength().ShouldBe(2);
        status.GetProperty("context").GetProperty("genre").GetString().ShouldBe("client-test");
        completed.GetProperty("status").GetString().ShouldBe("completed");
        fetched.GetProperty("title").GetString().ShouldBe("Client test, ready");
        listed.Items.ShouldHaveSingleItem().GetProperty("pullRequestId").GetInt32().ShouldBe(id);
        await prs.RemoveReviewerAsync(Repo, id, Guid.NewGuid().ToString()).ShouldFailWithAsync(404, "azure_devops_error");
    }

    [Fact]
    public async Task CommitStatuses_PostThenListLatestOnly()
    {
        var commit = (await Actions.ListBranchesAsync(Repo)).Items.Single(b => b.GetProperty("name").GetString() == "refs/heads/feature/login").GetProperty("objectId").GetString()!;
        var genre = "client-" + Guid.NewGuid().ToString("N")[..6];

        await Actions.PostCommitStatusAsync(Repo, commit, new PostStatusRequest { State = "pending", ContextName = "build", ContextGenre = genre });
        var latest = await Actions.PostCommitStatusAsync(Repo, commit, new PostStatusRequest { State = "succeeded", ContextName = "build", ContextGenre = genre, TargetUrl = "https://ci.example/1" });
        var statuses = await Actions.ListCommitStatusesAsync(Repo, commit, new CommitStatusQuery { LatestOnly = true });

        var ours = statuses.Items.Where(s => s.GetProperty("context").GetProperty("genre").GetString() == genre).ToList();
        ours.ShouldHaveSingleItem().GetProperty("id").GetInt32().ShouldBe(latest.GetProperty("id").GetInt32());
        ours[0].GetProperty("state").GetString().ShouldBe("succeeded");
    }

    [Fact]
    public async Task WorkItems_CreateSearchUpdateCommentDelete()
    {
        var items = Actions.WorkItems;
        var title = "Client work item " + Guid.NewGuid().ToString("N")[..6];

        var created = await items.CreateAsync(Project, new CreateWorkItemRequest
        {
            Type = "Task",
            Fields = new Dictionary<string, JsonElement> { ["System.Title"] = AzureDevOpsValue.From(title), ["Microsoft.VSTS.Common.Priority"] = AzureDevOpsValue.From(2) },
        });
        var id = created.GetProperty("id").GetInt32();
        var found = await items.SearchAsync(Project, new WorkItemSearch { TitleContains = title });
        var updated = await items.UpdateAsync("fabrikam", id, [WorkItemPatch.Replace("/fields/System.State", AzureDevOpsValue.From("Active"))]);
        var many = await items.GetManyAsync("fabrikam", [id, 1], ["System.Title"]);
        foreach (var text in new[] { "one", "two", "three" })
        {
            await items.AddCommentAsync(Project, id, text);
        }

        var comments = await items.ListAllCommentsAsync(Project, id, order: "asc", pageSize: 2).ToListAsync();
        await items.DeleteAsync("fabrikam", id);

        found.Items.ShouldHaveSingleItem().GetProperty("id").GetInt32().ShouldBe(id);
        found.Wiql.ShouldContain("CONTAINS");
        updated.GetProperty("fields").GetProperty("System.State").GetString().ShouldBe("Active");
        many.Select(w => w.GetProperty("id").GetInt32()).ShouldBe([id, 1]);
        comments.Select(c => c.GetProperty("text").GetString()).ShouldBe(["one", "two", "three"]);
        await items.GetAsync("fabrikam", id).ShouldFailWithAsync(404, "azure_devops_error");
    }

    [Fact]
    public async Task Pipelines_RunWithVariablesThenPageRuns()
    {
        var pipelines = Actions.Pipelines;

        var list = await pipelines.ListAsync(Project);
        var run = await pipelines.RunAsync(Project, 1, new RunPipelineRequest
        {
            Branch = "main",
            TemplateParameters = new Dictionary<string, string> { ["mode"] = "quick" },
            Variables = new Dictionary<string, PipelineVariable> { ["token"] = new("never-echoed", IsSecret: true), ["level"] = new("3") },
        });
        var got = await pipelines.GetRunAsync(Project, 1, run.GetProperty("id").GetInt32());
        var runs = await pipelines.ListAllRunsAsync(Project, 1, pageSize: 1).ToListAsync();

        list.Items.Select(p => p.GetProperty("name").GetString()).ShouldContain("Fabrikam-Fiber-CI");
        got.GetProperty("templateParameters").GetProperty("mode").GetString().ShouldBe("quick");
        got.GetProperty("variables").GetProperty("level").GetProperty("value").GetString().ShouldBe("3");
        got.GetRawText().ShouldNotContain("never-echoed");
        runs.Count.ShouldBeGreaterThanOrEqualTo(3);
        runs[0].GetProperty("id").GetInt32().ShouldBe(run.GetProperty("id").GetInt32());
    }

    [Fact]
    public async Task Errors_KeepCodesFieldsAndAzureDevOpsDetails()
    {
        var missing = await Actions.PullRequests.GetAsync(Repo, 9999).ShouldFailWithAsync(404, "azure_devops_error");
        var invalid = await Actions.PullRequests.VoteAsync(Repo, 1, (PullRequestVote)7).ShouldFailWithAsync(400, "invalid_field");
        await Server.BridgeClient().Actions("con_nope").ListOrganizationsAsync().ShouldFailWithAsync(404, "connection_not_found");

        missing.Extensions["azureTypeKey"].GetString().ShouldNotBeNullOrEmpty();
        missing.Extensions["azureStatus"].GetInt32().ShouldBe(404);
        invalid.Extensions["field"].GetString().ShouldBe("vote");
    }

    [Fact]
    public async Task Proxy_UrlsAndHttpClient_ReachAzureDevOpsAsTheConnection()
    {
        var proxy = Server.BridgeClient().Proxy(connectionId);
        using var http = proxy.CreateHttpClient("fabrikam");

        var projects = await http.GetFromJsonAsync<JsonElement>("_apis/projects?api-version=7.1");

        proxy.OrganizationUrl("fabrikam").ShouldBe(new Uri(Server.BaseUrl, $"/v1/proxy/{connectionId}/fabrikam"));
        proxy.VsspsUrl("fabrikam").AbsolutePath.ShouldEndWith($"/v1/proxy/{connectionId}/~vssps/fabrikam");
        proxy.ServerUrl().AbsolutePath.ShouldEndWith("/~server");
        projects.GetProperty("count").GetInt32().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task ProxyHandler_AddsTheKeyOnlyForAdoBridge()
    {
        var seen = new List<(Uri Uri, string? Authorization)>();
        var proxy = Server.BridgeClient().Proxy(connectionId);
        using var http = new HttpClient(proxy.CreateHandler(new Recording(seen)));
        using var elsewhere = new HttpRequestMessage(HttpMethod.Get, "https://dev.azure.com/fabrikam/_apis/projects");
        elsewhere.Headers.Authorization = new("Basic", "Y2xpZW50OnNlY3JldA==");

        await http.GetAsync(proxy.OrganizationUrl("fabrikam") + "/_apis/projects");
        await http.SendAsync(elsewhere);
        await http.GetAsync(new Uri(new Uri(Server.BaseUrl.GetLeftPart(UriPartial.Authority).Replace("127.0.0.1", "localhost", StringComparison.Ordinal)), "/v1/proxy/x"));

        seen[0].Authorization.ShouldBe("Bearer " + AdoBridgeServer.BootstrapKey);
        seen[1].Authorization.ShouldBe("Basic Y2xpZW50OnNlY3JldA==");
        seen[2].Authorization.ShouldBeNull();
    }

    /// <summary>A new branch made through the proxy helper (the typed actions have no ref writes).</summary>
    private async Task<string> NewBranchThroughProxyAsync()
    {
        var head = (await Actions.ListBranchesAsync(Repo)).Items.Single(b => b.GetProperty("name").GetString() == "refs/heads/feature/login").GetProperty("objectId").GetString();
        var name = "client/" + Guid.NewGuid().ToString("N")[..8];
        using var http = Server.BridgeClient().Proxy(connectionId).CreateHttpClient("fabrikam");
        using var response = await http.PostAsJsonAsync($"{Repo.Project}/_apis/git/repositories/{Repo.Repository}/refs?api-version=7.1",
            new[] { new { name = "refs/heads/" + name, oldObjectId = new string('0', 40), newObjectId = head } });
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return name;
    }

    private sealed class Recording(List<(Uri Uri, string? Authorization)> seen) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            seen.Add((request.RequestUri!, request.Headers.Authorization?.ToString()));
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent));
        }
    }
}

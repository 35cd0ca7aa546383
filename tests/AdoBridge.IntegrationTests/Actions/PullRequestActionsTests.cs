using System.Net;
using System.Net.Http.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Actions;

/// <summary>Pull requests, their comment threads and statuses over real HTTP to the emulator.</summary>
public sealed class PullRequestActionsTests(ActionsFixture fixture) : IClassFixture<ActionsFixture>
{
    [Fact]
    public async Task List_FiltersByCreator()
    {
        using var api = fixture.Server.Client();

        var body = await (await api.GetAsync($"{fixture.RepoPath}/pull-requests?status=all&creatorId={ActionsFixture.AliceId}&top=10")).ShouldBeJsonAsync();

        var items = body.GetProperty("items").EnumerateArray().ToList();
        items.ShouldNotBeEmpty();
        items.ShouldAllBe(p => p.GetProperty("createdBy").GetProperty("id").GetString() == ActionsFixture.AliceId);
        items.Select(p => p.GetProperty("title").GetString()).ShouldContain("Add sign-in page");
        items.Select(p => p.GetProperty("title").GetString()).ShouldNotContain("Search tickets by customer");
    }

    [Fact]
    public async Task List_BySourceBranchName_FindsItsPullRequest()
    {
        using var api = fixture.Server.Client();

        var body = await (await api.GetAsync($"{fixture.RepoPath}/pull-requests?sourceRef=feature/search")).ShouldBeJsonAsync();

        body.GetProperty("items").EnumerateArray().ShouldHaveSingleItem().GetProperty("title").GetString().ShouldBe("Search tickets by customer");
    }

    [Fact]
    public async Task List_InvalidFilter_Answers400NamingTheField()
    {
        using var api = fixture.Server.Client();

        using var response = await api.GetAsync($"{fixture.RepoPath}/pull-requests?creatorId=alice");

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_field")).GetProperty("field").GetString().ShouldBe("creatorId");
    }

    [Fact]
    public async Task Get_ReturnsThePullRequest_AndAMissingOneKeepsAzureDevOpsTypeKey()
    {
        using var api = fixture.Server.Client();

        var pr = await (await api.GetAsync($"{fixture.RepoPath}/pull-requests/1")).ShouldBeJsonAsync();
        using var missing = await api.GetAsync($"{fixture.RepoPath}/pull-requests/9999");

        pr.GetProperty("title").GetString().ShouldBe("Add sign-in page");
        var problem = await missing.ShouldBeProblemAsync(HttpStatusCode.NotFound, "azure_devops_error");
        problem.GetProperty("azureTypeKey").GetString().ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task Create_ThenThreadReplyAndStatus_AsAnAnalyserWould()
    {
        using var api = fixture.Server.Client();

        var pr = await (await api.PostAsJsonAsync($"{fixture.RepoPath}/pull-requests",
            new { sourceRef = "users/bob/readme-typo", targetRef = "main", title = "Fix README typo", reviewers = new[] { ActionsFixture.AliceId } })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var prPath = $"{fixture.RepoPath}/pull-requests/{pr.GetProperty("pullRequestId").GetInt32()}";
        var thread = await (await api.PostAsJsonAsync($"{prPath}/threads", new { content = "Typo on line 3.", filePath = "README.md", line = 3 })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var threadId = thread.GetProperty("id").GetInt32();
        await (await api.PostAsJsonAsync($"{prPath}/threads/{threadId}/comments", new { content = "Fixed, thanks." })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var status = await (await api.PostAsJsonAsync($"{prPath}/statuses", new { state = "succeeded", description = "No issues", context = new { name = "lint", genre = "analyser" } })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var threads = await (await api.GetAsync($"{prPath}/threads")).ShouldBeJsonAsync();

        pr.GetProperty("sourceRefName").GetString().ShouldBe("refs/heads/users/bob/readme-typo");
        var listed = threads.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("id").GetInt32() == threadId);
        listed.GetProperty("comments").EnumerateArray().Select(c => c.GetProperty("content").GetString()).ShouldBe(["Typo on line 3.", "Fixed, thanks."]);
        listed.GetProperty("threadContext").GetProperty("filePath").GetString().ShouldBe("/README.md");
        status.GetProperty("state").GetString().ShouldBe("succeeded");
        status.GetProperty("context").GetProperty("name").GetString().ShouldBe("lint");
    }

    [Fact]
    public async Task Status_WithoutState_Answers400NamingTheField()
    {
        using var api = fixture.Server.Client();

        using var response = await api.PostAsJsonAsync($"{fixture.RepoPath}/pull-requests/1/statuses", new { context = new { name = "lint" } });

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_field")).GetProperty("field").GetString().ShouldBe("state");
    }
}

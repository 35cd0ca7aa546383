using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Actions;

/// <summary>Reviewers (add, list, remove), the connection's own vote, and resolving comment threads, over real HTTP to the emulator.</summary>
public sealed class ReviewerActionsTests(ActionsFixture fixture) : IClassFixture<ActionsFixture>
{
    private static JsonElement? Reviewer(JsonElement list, string id)
        => list.GetProperty("items").EnumerateArray().Cast<JsonElement?>().FirstOrDefault(r => r!.Value.GetProperty("id").GetString() == id);

    [Fact]
    public async Task AddListRemove_ARequiredReviewer()
    {
        var (path, _) = await fixture.NewPullRequestAsync();
        using var api = fixture.Server.Client();

        var added = await (await api.PutAsJsonAsync($"{path}/reviewers/{ActionsTestData.BobId}", new { isRequired = true })).ShouldBeJsonAsync();
        var listed = await (await api.GetAsync($"{path}/reviewers")).ShouldBeJsonAsync();
        using var removed = await api.DeleteAsync($"{path}/reviewers/{ActionsTestData.BobId}");
        var after = await (await api.GetAsync($"{path}/reviewers")).ShouldBeJsonAsync();

        added.GetProperty("isRequired").GetBoolean().ShouldBeTrue();
        Reviewer(listed, ActionsTestData.BobId)!.Value.GetProperty("vote").GetInt32().ShouldBe(0);
        removed.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        Reviewer(after, ActionsTestData.BobId).ShouldBeNull();
    }

    [Fact]
    public async Task RemoveAReviewerWhoIsNotThere_KeepsAzureDevOpsTypeKey()
    {
        var (path, _) = await fixture.NewPullRequestAsync();
        using var api = fixture.Server.Client();

        using var response = await api.DeleteAsync($"{path}/reviewers/{ActionsTestData.BobId}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "azure_devops_error");
        problem.GetProperty("azureTypeKey").GetString().ShouldBe("GitPullRequestReviewerNotFoundException");
        problem.GetProperty("azureMessage").GetString()!.ShouldContain("TF401183");
    }

    [Theory]
    [InlineData("\"approve\"", 10)]
    [InlineData("\"approve-with-suggestions\"", 5)]
    [InlineData("\"wait\"", -5)]
    [InlineData("\"reject\"", -10)]
    [InlineData("\"no-vote\"", 0)]
    [InlineData("\"waitingForAuthor\"", -5)]
    [InlineData("10", 10)]
    [InlineData("-10", -10)]
    [InlineData("\"5\"", 5)]
    public async Task Vote_ByNameOrNumber_IsTheConnectionsOwnVote(string vote, int expected)
    {
        var (path, _) = await fixture.NewPullRequestAsync();
        using var api = fixture.Server.Client();

        var reviewer = await (await api.PutAsync($"{path}/vote", Json($"{{\"vote\":{vote}}}"))).ShouldBeJsonAsync();
        var listed = await (await api.GetAsync($"{path}/reviewers")).ShouldBeJsonAsync();

        reviewer.GetProperty("id").GetString().ShouldBe(ActionsFixture.AliceId);
        reviewer.GetProperty("vote").GetInt32().ShouldBe(expected);
        Reviewer(listed, ActionsFixture.AliceId)!.Value.GetProperty("vote").GetInt32().ShouldBe(expected);
    }

    [Theory]
    [InlineData("{\"vote\":7}")]
    [InlineData("{\"vote\":11}")]
    [InlineData("{\"vote\":\"maybe\"}")]
    [InlineData("{\"vote\":true}")]
    [InlineData("{}")]
    public async Task Vote_NotOneOfTheFive_Answers400ListingThem(string body)
    {
        using var api = fixture.Server.Client();

        using var response = await api.PutAsync($"{fixture.RepoPath}/pull-requests/1/vote", Json(body));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_field");
        problem.GetProperty("field").GetString().ShouldBe("vote");
        problem.GetProperty("detail").GetString()!.ShouldContain("approve-with-suggestions (5)");
    }

    [Fact]
    public async Task AddReviewer_IdNotAGuid_Answers400NamingTheField()
    {
        using var api = fixture.Server.Client();

        using var response = await api.PutAsJsonAsync($"{fixture.RepoPath}/pull-requests/1/reviewers/bob", new { });

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_field")).GetProperty("field").GetString().ShouldBe("reviewerId");
    }

    [Fact]
    public async Task ResolveThenReopen_AThread()
    {
        var (path, _) = await fixture.NewPullRequestAsync();
        using var api = fixture.Server.Client();
        var thread = await (await api.PostAsJsonAsync($"{path}/threads", new { content = "Please add a test." })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var threadPath = $"{path}/threads/{thread.GetProperty("id").GetInt32()}";

        var resolved = await (await api.PatchAsJsonAsync(threadPath, new { status = "fixed" })).ShouldBeJsonAsync();
        var listed = await (await api.GetAsync($"{path}/threads")).ShouldBeJsonAsync();
        var reopened = await (await api.PatchAsJsonAsync(threadPath, new { status = "active" })).ShouldBeJsonAsync();

        resolved.GetProperty("status").GetString().ShouldBe("fixed");
        listed.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("id").GetInt32() == thread.GetProperty("id").GetInt32())
            .GetProperty("status").GetString().ShouldBe("fixed");
        reopened.GetProperty("status").GetString().ShouldBe("active");
    }

    [Theory]
    [InlineData("{\"status\":\"resolved\"}")]
    [InlineData("{}")]
    public async Task ThreadStatus_Unknown_Answers400NamingTheField(string body)
    {
        using var api = fixture.Server.Client();

        using var response = await api.PatchAsync($"{fixture.RepoPath}/pull-requests/1/threads/1", Json(body));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_field");
        problem.GetProperty("field").GetString().ShouldBe("status");
        problem.GetProperty("detail").GetString()!.ShouldContain("wontFix");
    }

    [Fact]
    public async Task MissingThread_KeepsAzureDevOpsTypeKey()
    {
        using var api = fixture.Server.Client();

        using var response = await api.PatchAsJsonAsync($"{fixture.RepoPath}/pull-requests/1/threads/9999", new { status = "fixed" });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "azure_devops_error");
        problem.GetProperty("azureTypeKey").GetString().ShouldNotBeNullOrEmpty();
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
}

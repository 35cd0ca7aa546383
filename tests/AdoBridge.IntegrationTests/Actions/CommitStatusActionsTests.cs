using System.Net;
using System.Net.Http.Json;
using AdoBridge.IntegrationTests.Infrastructure;

namespace AdoBridge.IntegrationTests.Actions;

/// <summary>Commit statuses (what CI systems and analysers post) over real HTTP to the emulator.</summary>
public sealed class CommitStatusActionsTests(ActionsFixture fixture) : IClassFixture<ActionsFixture>
{
    [Fact]
    public async Task Post_ThenList_NewestFirst_AndLatestOnlyPerName()
    {
        var commit = await fixture.HeadAsync("feature/search");
        var path = $"{fixture.RepoPath}/commits/{commit}/statuses";
        using var api = fixture.Server.Client();

        var pending = await (await api.PostAsJsonAsync(path, new { state = "pending", description = "Analysing", context = new { name = "lint", genre = "analyser" } })).ShouldBeJsonAsync(HttpStatusCode.Created);
        await (await api.PostAsJsonAsync(path, new { state = "succeeded", description = "No issues", targetUrl = "https://analyser.example/r/1", context = new { name = "lint", genre = "analyser" } })).ShouldBeJsonAsync(HttpStatusCode.Created);
        await (await api.PostAsJsonAsync(path, new { state = "failed", context = new { name = "build" } })).ShouldBeJsonAsync(HttpStatusCode.Created);
        var all = await (await api.GetAsync(path)).ShouldBeJsonAsync();
        var latest = await (await api.GetAsync(path + "?latestOnly=true")).ShouldBeJsonAsync();
        var firstPage = await (await api.GetAsync(path + "?top=1")).ShouldBeJsonAsync();
        var secondPage = await (await api.GetAsync(path + "?top=1&skip=1")).ShouldBeJsonAsync();

        pending.GetProperty("context").GetProperty("name").GetString().ShouldBe("lint");
        all.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("state").GetString()).ShouldBe(["failed", "succeeded", "pending"]);
        latest.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("state").GetString()).ShouldBe(["failed", "succeeded"]);
        firstPage.GetProperty("items").EnumerateArray().ShouldHaveSingleItem().GetProperty("state").GetString().ShouldBe("failed");
        secondPage.GetProperty("items").EnumerateArray().ShouldHaveSingleItem().GetProperty("state").GetString().ShouldBe("succeeded");
    }

    [Theory]
    [InlineData("abc123", "{\"state\":\"succeeded\",\"context\":{\"name\":\"lint\"}}", "commitId")]
    [InlineData(null, "{\"state\":\"green\",\"context\":{\"name\":\"lint\"}}", "state")]
    [InlineData(null, "{\"state\":\"succeeded\"}", "context.name")]
    [InlineData(null, "{\"state\":\"succeeded\",\"context\":{\"name\":\"lint\"},\"targetUrl\":\"/relative\"}", "targetUrl")]
    public async Task Post_BadInput_Answers400NamingTheField(string? commit, string body, string field)
    {
        commit ??= new string('a', 40);
        using var api = fixture.Server.Client();

        using var response = await api.PostAsync($"{fixture.RepoPath}/commits/{commit}/statuses", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest, "invalid_field")).GetProperty("field").GetString().ShouldBe(field);
    }

    [Fact]
    public async Task Post_OnACommitThatDoesNotExist_KeepsAzureDevOpsMessage()
    {
        using var api = fixture.Server.Client();

        using var response = await api.PostAsJsonAsync($"{fixture.RepoPath}/commits/{new string('b', 40)}/statuses", new { state = "succeeded", context = new { name = "lint" } });

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound, "azure_devops_error");
        problem.GetProperty("azureTypeKey").GetString().ShouldBe("GitUnresolvableToCommitException");
        problem.GetProperty("azureMessage").GetString()!.ShouldContain("TF401175");
    }
}
